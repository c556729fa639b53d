package vireo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.tpc.ThroughputBench;
import vireo.tpc.WedgeFiles;
import vireo.tpc.WedgeStatistics;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class TpcBaselineCommandsTest {
    private static String capture(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf));
        try { r.run(); } finally { System.setOut(old); }
        return buf.toString();
    }

    @Test
    void simulateWritesAUint16WedgeAtTheRequestedOccupancy(@TempDir Path dir) {
        Path out = dir.resolve("w.npy");
        int[] code = new int[1];
        capture(() -> code[0] = Main.run("tpc", "simulate", "--occupancy", "2%", "--seed", "4", "-o", out.toString()));
        assertEquals(0, code[0]);
        WedgeStatistics s = WedgeStatistics.of(WedgeFiles.readAdc(out));
        assertEquals(0.02, s.occupancy(), 0.02 * 0.03);
    }

    @Test
    void simulateRejectsBadOccupancyWithoutWritingAFile(@TempDir Path dir) {
        Path out = dir.resolve("w.npy");
        assertEquals(2, Main.run("tpc", "simulate", "--occupancy", "0.9", "-o", out.toString()));
        assertFalse(Files.exists(out));
    }

    @Test
    void simulateComparePlotWritesAPng(@TempDir Path dir) throws Exception {
        Path real = dir.resolve("real.npy"), png = dir.resolve("cmp.png");
        WedgeFiles.writeAdc(real, new vireo.tpc.Simulator().simulate(0.05, 9).adc());
        capture(() -> assertEquals(0, Main.run("tpc", "simulate", "--occupancy", "0.05", "-o", dir.resolve("s.npy").toString(),
                "--compare", real.toString(), "--plot", png.toString())));
        byte[] b = Files.readAllBytes(png);
        assertEquals((byte) 0x89, b[0]);
        assertEquals('P', b[1]);
    }

    /** A tiny bench run (not timed): JSON shape, positive throughputs, a PNG. */
    @Test
    void benchRunsOnATinyConfiguration(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("bench.png");
        String json = capture(() -> assertEquals(0, Main.run("tpc", "bench", "--occupancy", "0.001,0.01", "--wedges", "1",
                "--passes", "1", "--no-decoder", "--json", "--plot", png.toString())));
        JsonNode n = new ObjectMapper().readTree(json);
        assertEquals(2, n.get("rows").size());
        for (JsonNode row : n.get("rows")) {
            assertTrue(row.get("encoder_wedges_per_s").asDouble() > 0);
            assertTrue(row.get("dense_encoder_wedges_per_s").asDouble() > 0);
            assertTrue(row.get("compression_ratio").asDouble() > 1);
        }
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void trainDenseSavesSafetensors(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bcaepp.safetensors");
        String json = capture(() -> assertEquals(0, Main.run("tpc", "train-dense", "--simulate", "1", "--occupancy", "0.05",
                "--steps", "2", "--batch", "1", "--crop", "16,16", "-o", out.toString(), "--json")));
        assertEquals(2, new ObjectMapper().readTree(json).get("curve").size());
        try (var f = vireo.io.SafeTensors.read(out)) {
            assertArrayEquals(new int[]{8, 1, 3, 4, 4}, f.get("encoder.blocks.0.side.weight").shape());
            assertEquals("bcae++", f.metadata().get("model"));
        }
    }

    @Test
    void decoderFlopCountMatchesTheReferenceArithmetic() {
        // 22,250 multiply-adds per voxel per head (reference §1.7) → 2 heads × 2 FLOPs × 764,928 voxels
        assertEquals(2 * 2 * 22_250.0 * 764_928 / 1e9, ThroughputBench.decoderGflopPerWedge(), 1e-3);
    }
}
