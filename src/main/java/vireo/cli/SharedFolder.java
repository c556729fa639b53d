package vireo.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The project's {@code shared/} folder of real models and data, beside the checkout: {@code $VIREO_SHARED}, then
 * {@code ../shared} from the Vireo home the launcher passes ({@code -Dvireo.home}), then {@code ../shared} from the
 * working directory.
 */
final class SharedFolder {
    private SharedFolder() {}

    static List<Path> roots() {
        List<Path> roots = new ArrayList<>();
        String env = System.getenv("VIREO_SHARED");
        if (env != null && !env.isBlank()) roots.add(Path.of(env));
        String home = System.getProperty("vireo.home");
        if (home != null) roots.add(Path.of(home).resolve("..").resolve("shared").normalize());
        roots.add(Path.of("..", "shared"));
        return roots;
    }

    /** {@code relative} inside the first shared folder that has it. */
    static Optional<Path> find(String relative) {
        for (Path root : roots()) {
            Path p = root.resolve(relative);
            if (Files.exists(p)) return Optional.of(p);
        }
        return Optional.empty();
    }
}
