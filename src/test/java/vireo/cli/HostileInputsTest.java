package vireo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Reproducers of issue 9 at the command line: each hostile input ends in exit 2 and one line
 * {@code vireo: <file or option>: <problem>}, quickly, without replacing or leaving files.
 */
class HostileInputsTest {
    @TempDir Path tmp;

    static InspectCommandTest.Run run(String... args) { return InspectCommandTest.run(args); }

    static void assertUserError(InspectCommandTest.Run r, String startsWith, String contains) {
        assertEquals(2, r.code(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("vireo: " + startsWith), err);
        assertTrue(err.contains(contains), err);
    }

    Path fifo() throws Exception {
        Path f = tmp.resolve("fifo");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", f.toString()).start().waitFor() == 0);
        return f;
    }

    @Test
    void outputToADeviceIsRefusedBeforeWork() {
        var r = run("tpc", "simulate", "--occupancy", "0.01", "-o", "/dev/null");
        assertUserError(r, "/dev/null: is not a regular file", "refusing to replace it");
        assertEquals("", r.out(), "nothing simulated");
    }

    @Test
    void outputIntoAMissingFolderIsRefusedBeforeWork() {
        Path out = tmp.resolve("missing/w.npy");
        var r = run("tpc", "simulate", "--occupancy", "0.01", "-o", out.toString());
        assertUserError(r, out.toString(), "does not exist");
        assertFalse(Files.exists(out.getParent()));
    }

    @Test
    void outputOntoAFolderIsRefused() {
        var r = run("tpc", "simulate", "--occupancy", "0.01", "-o", tmp.toString());
        assertUserError(r, tmp.toString(), "is a folder");
    }

    @Test
    void devZeroAsInputIsRefused() {
        assertUserError(run("inspect", "/dev/zero"), "/dev/zero", "not a regular file");
        assertUserError(run("tpc", "decompress", "/dev/zero", "-o", tmp.resolve("o.npy").toString()),
                "/dev/zero", "not a regular file");
    }

    @Test
    void fifoAsInputDoesNotHang() throws Exception {
        Path f = fifo();
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            assertUserError(run("inspect", f.toString()), f.toString(), "not a regular file");
            assertUserError(run("tpc", "decompress", f.toString(), "-o", tmp.resolve("o.npy").toString()),
                    f.toString(), "not a regular file");
        });
    }

    @Test
    void badOptionIsOneLineExit2() {
        var r = run("tpc", "simulate", "--occupancy", "0.01", "--bogus");
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("vireo: "), r.err());
    }

    @Test
    void simulateHelpHasNoFormatWarnings() {
        var r = run("tpc", "simulate", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("10%"), r.out());
        assertFalse(r.err().contains("WARN") || r.out().contains("WARN"), r.err());
    }
}
