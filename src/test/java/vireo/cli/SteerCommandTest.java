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
    void endToEndOnAToyModel(@TempDir Path dir) throws Exception {
        var saved = SteerCommand.loader;
        SteerCommand.loader = (m, t) -> new SteerCommand.Loaded(new vireo.steer.ToyModel(7, 12, 8, 2), vireo.steer.BehaviourSweepTest.CODEC, m.getFileName().toString());
        try {
            Path model = Files.writeString(dir.resolve("toy.bin"), "");
            Path data = dir.resolve("data");
            Files.createDirectories(data.resolve("caa/toyish"));
            String items = "[{\"question\": \"abc\", \"answer_matching_behavior\": \"(A)\", \"answer_not_matching_behavior\": \"(B)\"},"
                    + "{\"question\": \"hello\", \"answer_matching_behavior\": \"(B)\", \"answer_not_matching_behavior\": \"(A)\"},"
                    + "{\"question\": \"xyz\", \"answer_matching_behavior\": \"(A)\", \"answer_not_matching_behavior\": \"(B)\"}]";
            Files.writeString(data.resolve("caa/toyish/generate_dataset.json"), items);
            Files.writeString(data.resolve("caa/toyish/test_dataset_ab.json"), items);
            Path vec = dir.resolve("v.safetensors"), state = dir.resolve("s.safetensors");
            String[] r = run("steer", "vectors", "--model", model.toString(), "--data", data.toString(), "--dataset", "caa:toyish",
                    "--template", "{q}:(", "-o", vec.toString(), "--json");
            assertEquals("0", r[0], r[2]);
            assertTrue(r[1].contains("\"position_rule\" : \"answer-letter\""), r[1]);
            vireo.steer.SteeringVector v = vireo.steer.VectorFile.load(vec);
            assertEquals(3, v.nPositive());
            assertEquals("toy.bin", v.model());
            r = run("steer", "vectors", "--model", model.toString(), "--data", data.toString(), "--dataset", "caa:toyish",
                    "--template", "{q}:(", "--state", "-o", state.toString());
            assertEquals("0", r[0], r[2]);
            Path png = dir.resolve("sweep.png");
            r = run("steer", "sweep", "--model", model.toString(), "--data", data.toString(), "--vectors", vec.toString(),
                    "--dataset", "caa:toyish", "--template", "{q}:(", "--method", "add,ace", "--layers", "0,1",
                    "--multipliers", "-1,0,1", "--json", "--plot", png.toString());
            assertEquals("0", r[0], r[2]);
            com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r[1]);
            assertEquals(12, j.get("points").size());
            assertEquals(j.get("unsteered").get("behaviour").asDouble(), j.get("points").get(1).get("behaviour").asDouble(), 0.0);
            assertTrue(Files.size(png) > 1000);
            r = run("steer", "sweep", "--model", model.toString(), "--data", data.toString(), "--vectors", state.toString(),
                    "--dataset", "caa:toyish", "--method", "add");
            assertEquals("2", r[0]);
            assertTrue(r[2].contains("state vector"), r[2]);
            Path probes = Files.writeString(dir.resolve("p.txt"), "abc\nhello\n");
            r = run("steer", "logodds", "--model", model.toString(), "--vectors", state.toString(), "--prompts", probes.toString(),
                    "--positive", "A", "--negative", "B", "--method", "state", "--apply-at", "blocks.{i}.state.h", "--json");
            assertEquals("0", r[0], r[2]);
            assertTrue(r[1].contains("\"positions\" : \"last:1\""), r[1]);
            r = run("steer", "refusal", "--model", model.toString(), "--vectors", vec.toString(), "--layer", "0,1",
                    "--method", "ace", "--multipliers", "0,1", "--prompts", probes.toString(), "--seeds", "2", "--max-tokens", "4",
                    "--judge", model.toString(), "--json");
            assertEquals("0", r[0], r[2]);
            j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r[1]);
            assertEquals(2, j.get("points").size());
            assertEquals(4, j.get("points").get(0).get("replies").asInt());
            double jr = j.get("points").get(0).get("judgeRefusalRate").asDouble();
            assertTrue(jr >= 0 && jr <= 1);
            r = run("steer", "generate", "--model", model.toString(), "--vectors", vec.toString(), "--layer", "1",
                    "--multiplier", "0", "--prompt", "abc", "--max-tokens", "5", "--json");
            assertEquals("0", r[0], r[2]);
            j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r[1]);
            assertEquals(j.get("unsteered").get("text").asText(), j.get("steered").get("text").asText());
        } finally {
            SteerCommand.loader = saved;
        }
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
