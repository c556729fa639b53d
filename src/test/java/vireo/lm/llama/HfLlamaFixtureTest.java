package vireo.lm.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;
import vireo.lm.Models;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Logits and residual stream of tiny random Llama-3-style models against Hugging Face transformers (tools/fixtures/make_llama_fixtures.py). */
class HfLlamaFixtureTest {
    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures", "llama");

    @ParameterizedTest
    @ValueSource(strings = {"untied", "tied-llama3-rope"})
    void logitsAndHiddenStatesMatchTransformers(String name) throws Exception {
        Path dir = FIXTURES.resolve(name);
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        try (Models.Loaded m = Models.load(dir, null)) {
            LanguageModel lm = m.model();
            JsonNode prompt = expected.get("prompt");
            float[][] resid = new float[prompt.size()][];
            Hooks read = Hooks.of("blocks.0.resid_post", (pos, x) -> resid[pos] = x.clone());
            var state = lm.newState();
            double worstLogit = 0, worstResid = 0;
            for (int t = 0; t < prompt.size(); t++) {
                float[] logits = lm.step(state, prompt.get(t).asInt(), read);
                JsonNode row = expected.get("logits").get(t);
                for (int v = 0; v < row.size(); v++) worstLogit = Math.max(worstLogit, Math.abs(logits[v] - row.get(v).asDouble()));
                JsonNode h = expected.get("resid_post_0").get(t);
                for (int i = 0; i < h.size(); i++) worstResid = Math.max(worstResid, Math.abs(resid[t][i] - h.get(i).asDouble()));
            }
            assertTrue(worstLogit < 1e-4, name + ": max |logit − transformers| = " + worstLogit);
            assertTrue(worstResid < 1e-4, name + ": max |resid_post − hidden_states[1]| = " + worstResid);
            assertEquals(name.startsWith("tied"), ((Llama) lm).config().tiedEmbeddings());
        }
    }
}
