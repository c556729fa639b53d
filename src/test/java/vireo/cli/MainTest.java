package vireo.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class MainTest {
    @Test
    void helpExitsZeroAndUnknownCommandFails() {
        assertEquals(0, Main.run("--help"));
        assertNotEquals(0, Main.run("no-such-command"));
    }
}
