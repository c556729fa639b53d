package vireo.lm.rwkv;

import org.junit.jupiter.api.Test;
import vireo.io.TensorFile;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Oracle: an independent float64 torch implementation of the v5.2 equations in non-recurrent form
 * (tools/fixtures/make_rnn_fixtures.py), official BlinkDL names, ln_x eps 64e-5. A second implementation, not
 * an authority; the rwkv.cpp golden test is the true oracle.
 */
class RwkvTorchFixtureTest {
    static final Path DIR = Path.of("src/test/resources/vireo/lm/rwkv");

    @Test
    void logitsAndFinalStatesMatchTorchReference() {
        try (TensorFile ref = vireo.io.SafeTensors.read(DIR.resolve("reference-v5.safetensors"));
             Rwkv5 m = Rwkv5.of(vireo.io.SafeTensors.read(DIR.resolve("tiny-v5.safetensors")), Rwkv5.Naming.BLINKDL, Rwkv5.OFFICIAL_GROUP_NORM_EPS)) {
            var tokens = ref.get("tokens");
            float[] want = ref.get("logits").toFloatArray();
            int v = m.vocabSize();
            LanguageModel.State s = m.newState();
            float maxDiff = 0f;
            for (int t = 0; t < tokens.numel(); t++) {
                float[] got = m.step(s, (int) tokens.getLong(t), Hooks.NONE);
                for (int j = 0; j < v; j++) maxDiff = Math.max(maxDiff, Math.abs(got[j] - want[t * v + j]));
            }
            assertTrue(maxDiff <= 1e-4f, "max |logit diff| " + maxDiff);
            for (String part : s.parts()) {
                float[] got = s.part(part), exp = ref.get(part).toFloatArray();
                assertEquals(exp.length, got.length, part);
                for (int j = 0; j < got.length; j++) assertEquals(exp[j], got[j], 1e-4f, part + "[" + j + "]");
            }
        }
    }
}
