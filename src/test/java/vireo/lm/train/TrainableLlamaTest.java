package vireo.lm.train;

import org.junit.jupiter.api.Test;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;
import vireo.lm.Models;
import vireo.lm.llama.Llama;
import vireo.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The tape forward against the per-token inference forward; LoRA starts at the base model. */
class TrainableLlamaTest {
    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures", "llama");

    static double worstRelative(Llama lm, TrainableLlama t, int[][] rows) {
        Tensor logits = Tensor.noGrad(() -> t.forward(rows));
        int T = 0, V = lm.vocabSize();
        for (int[] r : rows) T = Math.max(T, r.length);
        double worst = 0;
        for (int b = 0; b < rows.length; b++) {
            LanguageModel.State s = lm.newState();
            for (int p = 0; p < rows[b].length; p++) {
                float[] ref = lm.step(s, rows[b][p], Hooks.NONE);
                double scale = 0;
                for (float v : ref) scale = Math.max(scale, Math.abs(v));
                for (int v = 0; v < V; v++)
                    worst = Math.max(worst, Math.abs(logits.data[(b * T + p) * V + v] - ref[v]) / scale);
            }
        }
        return worst;
    }

    @Test
    void tapeLogitsEqualInferenceOnHfFixtures() {
        for (String name : new String[]{"untied", "tied-llama3-rope"})
            try (Models.Loaded m = Models.load(FIXTURES.resolve(name), null)) {
                Llama lm = (Llama) m.model();
                double w = worstRelative(lm, new TrainableLlama(lm, null), new int[][]{{1, 5, 9, 3, 7}, {4, 2}});
                assertTrue(w < 1e-5, name + ": worst relative logit difference " + w);
                double wl = worstRelative(lm, new TrainableLlama(lm, new Lora(4, 8, 0, Set.of("q", "v", "down"), 1)), new int[][]{{3, 1, 4}});
                assertTrue(wl < 1e-5, name + " with fresh LoRA: " + wl);
            }
    }

    @Test
    void tapeLogitsEqualInferenceOnStories260K() {
        Path model = Path.of("..", "shared", "models", "llama2c", "stories260K.bin");
        assumeTrue(Files.exists(model), "stories260K absent");
        try (Models.Loaded m = Models.load(model, null)) {
            Llama lm = (Llama) m.model();
            double w = worstRelative(lm, new TrainableLlama(lm, null), new int[][]{{1, 403, 407, 261, 378, 118, 10, 59}, {1, 70, 22}});
            assertTrue(w < 1e-5, "stories260K: worst relative logit difference " + w);
        }
    }
}
