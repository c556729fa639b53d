package vireo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.SharedData;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class InspectCommandTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(InspectCommandTest.class.getResource("/fixtures/io/" + name).toURI());
    }

    @Test
    void listsTensorsOfATorchCheckpoint() throws Exception {
        Run r = run("inspect", fixture("ordered.pt").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("1.num_batches_tracked"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("0\\.weight\\s+F32\\s+\\[2, 3]")), r.out());
        // Linear(3,2): 6+2, BatchNorm1d(2): 4 x 2 + 1 counter
        assertTrue(r.out().contains("(pytorch): 7 tensors, 17 parameters, 72 bytes"), r.out());
    }

    @Test
    void jsonListing() throws Exception {
        Run r = run("inspect", "--json", fixture("dtypes.safetensors").toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("safetensors", j.get("format").asText());
        assertEquals(13, j.get("tensors").size());
        assertEquals("bf16", j.get("tensors").get(2).get("name").asText().isEmpty() ? "" : findName(j, "bf16"));
        assertEquals("vireo fixture", j.get("metadata").get("note").asText());
        // 11 dtypes x 6 elements + a scalar + an empty tensor
        assertEquals(67, j.get("parameters").asLong());
    }

    private static String findName(JsonNode j, String name) {
        for (JsonNode t : j.get("tensors")) if (t.get("name").asText().equals(name)) {
            assertEquals("BF16", t.get("dtype").asText());
            assertEquals("[2,3]", t.get("shape").toString());
            return name;
        }
        return null;
    }

    @Test
    void npyAndShardedFolder() throws Exception {
        Run r = run("inspect", fixture("npy/u2.npy").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("u2    U16    [3, 4]"), r.out());
        r = run("inspect", fixture("sharded").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("4 tensors, 33 parameters, 114 bytes"), r.out());
    }

    @Test
    void missingAndCorruptFilesExit2WithOneLine() throws Exception {
        Path missing = tmp.resolve("missing.pt");
        Run r = run("inspect", missing.toString());
        assertEquals(2, r.code());
        assertEquals("vireo: " + missing + ": no such file", r.err().strip());
        byte[] good = Files.readAllBytes(fixture("dtypes.safetensors"));
        Path corrupt = Files.write(tmp.resolve("bad.safetensors"), java.util.Arrays.copyOf(good, good.length - 7));
        r = run("inspect", corrupt.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("vireo: " + corrupt + ": tensor '"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void bcaeCheckpointHas121Tensors() {
        Path pth = SharedData.require("models/bcae-vs/model_last.pth");
        Run r = run("inspect", pth.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("encoder.model.0.kernel"), r.out());
        assertTrue(r.out().contains("(pytorch): 121 tensors"), r.out());
    }
}
