package vireo;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared (models and data beside the checkout); tests that need it skip cleanly when it is absent. */
public final class SharedData {
    private SharedData() {}

    /** ../shared, or $VIREO_SHARED when set (git worktrees nested one level deeper than the main checkout). */
    public static final Path ROOT = (System.getenv("VIREO_SHARED") != null ? Path.of(System.getenv("VIREO_SHARED"))
            : Path.of("..", "shared")).toAbsolutePath().normalize();

    /** The file at {@code relative} inside ../shared, or a skipped test when it is not there. */
    public static Path require(String relative) {
        Path p = ROOT.resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "../shared/" + relative + " not present; skipping");
        return p;
    }
}
