package vireo.io;

import net.jqwik.api.*;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Damaged files (random bytes overwritten, or cut short) must open cleanly or fail with an
 * {@link InvalidFileException} — never another exception, a crash or an out-of-memory.
 */
class CorruptionPropertyTest {

    @Property(tries = 500)
    void damagedFilesFailOnlyWithInvalidFile(@ForAll("fixtures") String fixture, @ForAll long seed,
                                             @ForAll @IntRange(min = 1, max = 8) int flips, @ForAll boolean truncate) throws IOException {
        byte[] bytes = Files.readAllBytes(IoFixtures.path(fixture));
        Random r = new Random(seed);
        if (truncate) bytes = Arrays.copyOf(bytes, r.nextInt(bytes.length));
        for (int i = 0; i < flips && bytes.length > 0; i++) {
            int at = r.nextInt(Math.min(bytes.length, r.nextBoolean() ? 256 : bytes.length)); // headers live up front
            bytes[at] = (byte) r.nextInt(256);
        }
        Path dir = Files.createTempDirectory("vireo-corrupt");
        Path p = dir.resolve("f" + fixture.substring(fixture.lastIndexOf('.')));
        Files.write(p, bytes);
        try (TensorFile f = Formats.open(p)) {
            for (var v : f.tensors().values()) if (v.numel() > 0) v.getFloat(v.numel() - 1); // views are in bounds
        } catch (InvalidFileException expected) {
            // fine: a one-line complaint
            if (expected.getMessage().lines().count() != 1) throw new AssertionError("multi-line message: " + expected.getMessage());
        } finally {
            RoundTripPropertyTest.delete(dir);
        }
    }

    @Provide
    Arbitrary<String> fixtures() {
        return Arbitraries.of("dtypes.safetensors", "npy/f4.npy", "npy/u2.npy", "dtypes.pt", "views.pt", "nested.pt",
                "views_proto4.pt", "ordered.pt");
    }
}
