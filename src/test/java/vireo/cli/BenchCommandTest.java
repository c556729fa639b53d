package vireo.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `vireo bench kernels` is wired into the CLI (running it forks JMH JVMs for a minute, so only --help here). */
class BenchCommandTest {
    @Test
    void kernelsHelpListsOptions() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            assertEquals(0, Main.run("bench", "kernels", "--help"));
        } finally {
            System.setOut(old);
        }
        String help = buf.toString();
        assertTrue(help.contains("--quick") && help.contains("--json"), help);
        assertNotEquals(0, Main.run("bench", "kernels", "--no-such-option"));
    }
}
