package vireo.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class HfConfigTest {
    @TempDir Path tmp;

    private HfConfig config(String json) throws IOException {
        return HfConfig.read(Files.writeString(tmp.resolve("config.json"), json));
    }

    @Test
    void typedGettersWithDefaults() throws IOException {
        HfConfig c = config("""
                {"hidden_size": 288, "rms_norm_eps": 1e-05, "model_type": "llama", "tie_word_embeddings": true,
                 "rope_scaling": null, "vocab_size": 32000, "big": 10000000000, "text_config": {"n_layer": 6}}""");
        assertEquals(288, c.getInt("hidden_size"));
        assertEquals(288, c.getInt("hidden_size", 7));
        assertEquals(7, c.getInt("num_heads", 7));
        assertEquals(1e-5, c.getDouble("rms_norm_eps"));
        assertEquals(288.0, c.getDouble("hidden_size"), "integers read as doubles");
        assertEquals("llama", c.getString("model_type"));
        assertTrue(c.getBool("tie_word_embeddings"));
        assertFalse(c.getBool("missing", false));
        assertFalse(c.has("rope_scaling"), "null counts as absent");
        assertEquals("none", c.getString("rope_scaling", "none"));
        assertEquals(10_000_000_000L, c.getLong("big"));
        assertEquals(6, c.section("text_config").getInt("n_layer"));
        assertEquals(32000, c.raw().get("vocab_size").asInt());
    }

    @Test
    void readsAFolderByItsConfigJson() throws IOException {
        config("{\"a\": 1}");
        assertEquals(1, HfConfig.read(tmp).getInt("a"));
    }

    @Test
    void clearErrors() throws IOException {
        HfConfig c = config("{\"hidden_size\": \"288\", \"eps\": 1.5, \"big\": 10000000000}");
        var e = assertThrows(InvalidFileException.class, () -> c.getInt("num_layers"));
        assertEquals(tmp.resolve("config.json") + ": missing required key 'num_layers'", e.getMessage());
        e = assertThrows(InvalidFileException.class, () -> c.getInt("hidden_size", 1));
        assertTrue(e.getMessage().endsWith("key 'hidden_size' should be an integer, found \"288\""), e.getMessage());
        assertThrows(InvalidFileException.class, () -> c.getInt("eps"));
        assertThrows(InvalidFileException.class, () -> c.getInt("big"));
        assertThrows(InvalidFileException.class, () -> c.getBool("eps"));
        assertThrows(InvalidFileException.class, () -> c.getString("eps"));
        assertThrows(InvalidFileException.class, () -> c.section("eps"));
        e = assertThrows(InvalidFileException.class, () -> config("{\"a\": "));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        e = assertThrows(InvalidFileException.class, () -> config("[1, 2]"));
        assertTrue(e.getMessage().endsWith("config is not a JSON object"));
        e = assertThrows(InvalidFileException.class, () -> HfConfig.read(tmp.resolve("nope.json")));
        assertTrue(e.getMessage().endsWith("no such file"));
    }
}
