package vireo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.SharedData;
import vireo.tpc.Wedge;
import vireo.tpc.WedgeFiles;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class TpcCommandTest {
    static CliRun run(String... args) { return CliRun.run(args); }

    @Test
    void badInputsGiveOneLineErrorsAndNoOutput(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.npy");
        Files.writeString(junk, "not numpy");
        Path out = dir.resolve("o.bvs");
        Path ckpt = dir.resolve("missing.pth");
        CliRun r = run("tpc", "compress", junk.toString(), "-o", out.toString(), "--checkpoint", ckpt.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing.pth: no such checkpoint file"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out));

        Path bvs = dir.resolve("bad.bvs");
        Files.write(bvs, new byte[]{'V', 'B', 'V', 'S', 1, 0, 0});
        r = run("tpc", "decompress", bvs.toString(), "-o", dir.resolve("r.npy").toString(), "--checkpoint", ckpt.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.bvs: truncated BCAE-VS file"), r.err());
        assertFalse(Files.exists(dir.resolve("r.npy")));

        r = run("tpc", "eval", junk.toString(), "--threshold", "1.5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--threshold must be between 0 and 1"), r.err());
    }

    @Test
    void compressDecompressAndEvalOnTheSampleWedge(@TempDir Path dir) throws Exception {
        Path ckpt = SharedData.require("models/bcae-vs/model_last.pth");
        Path sample = SharedData.require("data/tpc/auau_sample.npy");
        Path bvs = dir.resolve("s.bvs"), npy = dir.resolve("s.npy");
        CliRun r = run("tpc", "compress", sample.toString(), "-o", bvs.toString(), "--checkpoint", ckpt.toString(), "--threshold", "0.5", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(10_147, j.get("kept_points").asInt());
        assertTrue(j.get("position_bits_per_point").asDouble() < 20);

        r = run("tpc", "decompress", bvs.toString(), "-o", npy.toString(), "--checkpoint", ckpt.toString());
        assertEquals(0, r.code(), r.err());
        Wedge orig = WedgeFiles.read(sample).getFirst(), reco = WedgeFiles.read(npy).getFirst();
        double mae = 0;
        for (int i = 0; i < Wedge.VOXELS; i++) mae += Math.abs(orig.log()[i] - reco.log()[i]);
        assertEquals(0.0412, mae / Wedge.VOXELS, 0.002); // ADC rounding moves the log-domain MAE a little

        r = run("tpc", "eval", sample.toString(), "--checkpoint", ckpt.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode row = new ObjectMapper().readTree(r.out()).get("codecs").get(0);
        assertEquals("bcae-vs", row.get("codec").asText());
        for (String k : new String[]{"keep_ratio", "compression_ratio", "mae", "mse", "psnr", "precision", "recall"})
            assertTrue(row.get(k).isNumber(), k);
        assertEquals(0.132, row.get("keep_ratio").asDouble(), 0.004);
        assertEquals(0.028, row.get("mae").asDouble(), 0.003);
    }

    @Test
    void trainRunsOnCropsCheckpointsAndResumes(@TempDir Path dir) throws Exception {
        Path npy = dir.resolve("w.npy");
        WedgeFiles.write(npy, vireo.tpc.BcaeVsTrainerTest.synthetic(4, 2));
        Path out = dir.resolve("ck");
        CliRun r = run("tpc", "train", dir.resolve("*.npy").toString(), "--steps", "2", "--batch", "1", "--crop", "8,8,8",
                "--save-every", "1", "-o", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, new ObjectMapper().readTree(r.out()).get("step").asInt());
        assertTrue(Files.exists(out.resolve("step-0000001.safetensors")) && Files.exists(out.resolve("last.safetensors")));
        r = run("tpc", "train", dir.toString(), "--steps", "1", "--batch", "1", "--crop", "8,8,8", "--resume",
                out.resolve("last.safetensors").toString(), "-o", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(3, new ObjectMapper().readTree(r.out()).get("step").asInt());
        r = run("tpc", "train", npy.toString(), "--crop", "8,8");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--crop needs A,Z,L"), r.err());
    }

    @Test
    void trainAcceptsSimulatedWedges(@TempDir Path dir) throws Exception {
        CliRun r = run("tpc", "train", "--simulate", "1", "--occupancy", "0.01", "--steps", "1", "--batch", "1",
                "--crop", "8,8,8", "-o", dir.resolve("ck").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        var json = new ObjectMapper().readTree(r.out());
        assertEquals(1, json.get("wedges").asInt());
        assertEquals(1, json.get("step").asInt());
        r = run("tpc", "train", "--steps", "1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no wedges"), r.err());
    }
}
