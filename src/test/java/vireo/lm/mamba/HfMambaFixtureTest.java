package vireo.lm.mamba;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;
import vireo.lm.Models;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny random MambaForCausalLM against Hugging Face transformers (tools/fixtures/make_mamba_fixtures.py). */
class HfMambaFixtureTest {
    static final Path DIR = Path.of("src/test/resources/fixtures/mamba");

    static double maxDiff(float[] a, JsonNode b) {
        double m = 0;
        for (int i = 0; i < b.size(); i++) m = Math.max(m, Math.abs(a[i] - b.get(i).asDouble()));
        return m;
    }

    @Test
    void logitsHiddenStatesAndFinalStateMatchTransformers() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(DIR.resolve("expected.json").toFile());
        try (Models.Loaded m = Models.load(DIR, null)) {
            LanguageModel lm = m.model();
            assertEquals("mamba", lm.family());
            JsonNode prompt = expected.get("prompt");
            float[][] resid = new float[prompt.size()][];
            Hooks read = Hooks.of("blocks.0.resid_post", (pos, x) -> resid[pos] = x.clone());
            var state = lm.newState();
            double logit = 0, hidden = 0;
            for (int t = 0; t < prompt.size(); t++) {
                float[] logits = lm.step(state, prompt.get(t).asInt(), read);
                logit = Math.max(logit, maxDiff(logits, expected.get("logits").get(t)));
                hidden = Math.max(hidden, maxDiff(resid[t], expected.get("resid_post_0").get(t)));
            }
            assertTrue(logit < 1e-4, "max |logit − transformers| = " + logit);
            assertTrue(hidden < 1e-4, "max |resid_post − block 0 output| = " + hidden);
            double conv = maxDiff(state.part("blocks.1.state.conv"), expected.get("conv_state_1"));
            double ssm = maxDiff(state.part("blocks.1.state.ssm"), expected.get("ssm_state_1"));
            assertTrue(conv < 1e-4 && ssm < 1e-4, "final state vs cache_params: conv " + conv + ", ssm " + ssm);
        }
    }

    @Test
    void stateHookEditEqualsManualStateEditAndCopiesAreIndependent() {
        try (Models.Loaded m = Models.load(DIR, null)) {
            LanguageModel lm = m.model();
            var s = lm.newState();
            for (int t : new int[]{3, 17, 125}) lm.step(s, t, Hooks.NONE);
            var manual = s.copy();
            var hooked = s.copy();
            float[] plain = lm.step(s.copy(), 9, Hooks.NONE).clone();
            manual.part("blocks.0.state.ssm")[5] += 0.5f;
            float[] byHand = lm.step(manual, 9, Hooks.NONE).clone();
            float[] byHook = lm.step(hooked, 9, Hooks.of("blocks.0.state.ssm", (pos, x) -> x[5] += 0.5f)).clone();
            assertArrayEquals(byHand, byHook, 1e-6f);
            assertNotEquals(plain[0], byHand[0], "the state edit reaches the logits");
            assertEquals(3, s.position());
            assertEquals(4, manual.position());
        }
    }
}
