package vireo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.steer.BehaviourSweep;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SteerCommandTest {
    static String[] run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o));
        System.setErr(new PrintStream(e));
        try {
            int code = Main.run(args);
            return new String[]{Integer.toString(code), o.toString(), e.toString()};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void helpAndUserErrors(@TempDir Path dir) throws Exception {
        assertEquals(0, Main.run("steer", "--help"));
        assertEquals(0, Main.run("steer", "sweep", "--help"));
        String[] r = run("steer", "vectors", "--model", dir.resolve("nope.bin").toString(), "--dataset", "ace", "-o", dir.resolve("v.safetensors").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("nope.bin: no such file"), r[2]);
        assertFalse(Files.exists(dir.resolve("v.safetensors")));
        Path junk = dir.resolve("junk.safetensors");
        Files.writeString(junk, "xx");
        r = run("steer", "generate", "--model", junk.toString(), "--vectors", junk.toString(), "--layer", "0", "--prompt", "hi");
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("vireo: " + junk), r[2]);
        assertEquals(1, r[2].lines().count());
    }

    @Test
    void plotWritesAPng(@TempDir Path dir) throws Exception {
        BehaviourSweep.Point u = new BehaviourSweep.Point("none", -1, 0, 0.5, 0.1, 0.3, 2);
        List<BehaviourSweep.Point> pts = List.of(new BehaviourSweep.Point("add", 1, -1, 0.4, 0.1, 0.2, 2),
                new BehaviourSweep.Point("add", 1, 1, 0.6, 0.1, 0.4, 2));
        Path png = dir.resolve("s.png");
        SteerCommand.Sweep.plot(new BehaviourSweep.Result(u, pts), png, "test", "score");
        byte[] b = Files.readAllBytes(png);
        assertEquals((byte) 0x89, b[0]);
        assertEquals('P', b[1]);
        assertFalse(Files.exists(dir.resolve("s.png.png")));
    }
}
