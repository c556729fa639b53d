package vireo.lm.llama;

import org.junit.jupiter.api.Test;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;
import vireo.lm.Models;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** Hook points obey the residual-stream algebra of the forward pass (tiny transformers fixture; no ../shared). */
class LlamaHooksTest {
    static final Path MODEL = Path.of("src", "test", "resources", "fixtures", "llama", "untied");
    static final int[] PROMPT = {1, 17, 42, 99, 5};

    private static float[][] run(LanguageModel lm, Hooks hooks) {
        return lm.forward(lm.newState(), PROMPT, hooks);
    }

    @Test
    void residPostIsResidPrePlusAttnOutPlusMlpOut() {
        try (Models.Loaded m = Models.load(MODEL, null)) {
            LanguageModel lm = m.model();
            int L = lm.numLayers(), n = PROMPT.length;
            float[][][] pre = new float[L][n][], attn = new float[L][n][], mlp = new float[L][n][], post = new float[L][n][];
            Hooks h = Hooks.NONE;
            for (int l = 0; l < L; l++) {
                int layer = l;
                h = h.with("blocks." + l + ".resid_pre", (p, x) -> pre[layer][p] = x.clone())
                        .with("blocks." + l + ".attn_out", (p, x) -> attn[layer][p] = x.clone())
                        .with("blocks." + l + ".mlp_out", (p, x) -> mlp[layer][p] = x.clone())
                        .with("blocks." + l + ".resid_post", (p, x) -> post[layer][p] = x.clone());
            }
            float[][] hooked = run(lm, h);
            for (int l = 0; l < L; l++)
                for (int p = 0; p < n; p++) {
                    for (int i = 0; i < lm.dModel(); i++)
                        assertEquals(pre[l][p][i] + attn[l][p][i] + mlp[l][p][i], post[l][p][i], 1e-5f, "layer " + l + " pos " + p);
                    if (l + 1 < L) assertArrayEquals(post[l][p], pre[l + 1][p]);
                }
            // reading hooks change nothing
            assertTrue(Arrays.deepEquals(hooked, run(lm, Hooks.NONE)));
        }
    }

    @Test
    void zeroingTheFinalResidualZeroesTheLogits() {
        try (Models.Loaded m = Models.load(MODEL, null)) {
            LanguageModel lm = m.model();
            String last = "blocks." + (lm.numLayers() - 1) + ".resid_post";
            float[][] base = run(lm, Hooks.NONE);
            float[][] zeroed = run(lm, Hooks.of(last, (p, x) -> { if (p == 2) Arrays.fill(x, 0f); }));
            // RMSNorm(0) = 0, so the classifier sees a zero vector at position 2 ...
            for (float v : zeroed[2]) assertEquals(0f, v);
            assertNotEquals(0f, base[2][0]);
            // ... and the last layer's output feeds no key or value, so other positions are untouched
            for (int p = 0; p < PROMPT.length; p++) if (p != 2) assertArrayEquals(base[p], zeroed[p]);
        }
    }

    @Test
    void addingToMlpOutEqualsAddingToResidPostAndEarlyEditsReachLaterPositions() {
        try (Models.Loaded m = Models.load(MODEL, null)) {
            LanguageModel lm = m.model();
            int L = lm.numLayers(), d = lm.dModel();
            float[] v = new float[d];
            for (int i = 0; i < d; i++) v[i] = (float) Math.sin(i + 1);
            float[][] base = run(lm, Hooks.NONE);
            float[][] viaMlp = run(lm, Hooks.of("blocks." + (L - 1) + ".mlp_out", (p, x) -> add(x, v)));
            float[][] viaPost = run(lm, Hooks.of("blocks." + (L - 1) + ".resid_post", (p, x) -> add(x, v)));
            for (int p = 0; p < PROMPT.length; p++) {
                assertArrayEquals(viaPost[p], viaMlp[p], 1e-5f);
                assertFalse(Arrays.equals(base[p], viaPost[p]));
            }
            // an edit of layer 0 at position 0 changes that position's keys/values for layer 1, so position 1 moves
            float[][] early = run(lm, Hooks.of("blocks.0.resid_post", (p, x) -> { if (p == 0) add(x, v); }));
            assertFalse(Arrays.equals(base[1], early[1]));
        }
    }

    private static void add(float[] x, float[] v) {
        for (int i = 0; i < x.length; i++) x[i] += v[i];
    }
}
