package vireo.lens;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.SharedData;
import vireo.lm.Models;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LensTest {
    static Models.Loaded stories() {
        return Models.load(SharedData.require("models/llama2c/stories260K.bin"), SharedData.require("models/llama2c/tok512.bin"));
    }

    @Test
    void logitLensAtLastPointIsTheModelOutputAndTrainingLowersKl(@TempDir Path tmp) {
        try (Models.Loaded m = stories()) {
            int[] tokens = m.tokenizer().encode("Once upon a time, there was a little girl named Lily. She liked to play in the park with her dog.", true);
            Activations a = Activations.of(m.model(), tokens, 64);
            Decoder dec = Decoder.of(m.model());
            int last = m.model().numLayers();
            for (int t = 0; t < tokens.length; t++) {
                float[] z = dec.logits(a.hidden()[last][t]);
                for (int v = 0; v < z.length; v++) assertEquals(a.finalLogits()[t][v], z[v], 1e-4f);
            }
            List<String> hooks = Activations.points(m.model());
            LensEvaluation logit = LensEvaluation.of(new LogitLens(dec, last + 1), hooks, List.of(a), 100);
            assertEquals(0.0, logit.layers().get(last).kl(), 1e-6);
            assertTrue(logit.layers().get(0).kl() > 0.1);

            TunedLens tuned = TunedLens.identity(dec, last);
            var o = LensTrainer.Options.defaults();
            double[] losses = LensTrainer.train(tuned, List.of(a), new LensTrainer.Options(20, 64, o.lr(), o.momentum(), o.weightDecay(), o.clip(), o.loss(), 1));
            assertTrue(losses[19] < 0.8 * losses[0], "loss " + losses[0] + " -> " + losses[19]);

            LensFile.save(tuned, tmp.resolve("lens"), "stories260K");
            TunedLens back = LensFile.load(tmp.resolve("lens"), dec);
            for (int p = 0; p <= last; p++)
                assertArrayEquals(tuned.logits(p, a.hidden()[p][3]), back.logits(p, a.hidden()[p][3]), 0f);
        }
    }

    @Test
    void decoderBackwardMatchesFiniteDifferences() {
        java.util.Random r = new java.util.Random(3);
        int d = 6, V = 5;
        float[] w = new float[d], b = new float[d], u = new float[V * d], h = new float[d], g = new float[V];
        for (int i = 0; i < d; i++) { w[i] = 1 + r.nextFloat(); b[i] = r.nextFloat(); h[i] = (float) r.nextGaussian(); }
        for (int i = 0; i < u.length; i++) u[i] = (float) r.nextGaussian();
        for (int i = 0; i < V; i++) g[i] = (float) r.nextGaussian();
        for (Decoder dec : new Decoder[]{new Decoder(w, null, 1e-5f, u, V), new Decoder(w, b, 1e-5f, u, V)}) {
            float[] dh = dec.backward(h, g);
            for (int j = 0; j < d; j++) {
                float[] hp = h.clone(), hm = h.clone();
                hp[j] += 1e-2f; hm[j] -= 1e-2f;
                double fp = 0, fm = 0;
                float[] zp = dec.logits(hp), zm = dec.logits(hm);
                for (int v = 0; v < V; v++) { fp += g[v] * zp[v]; fm += g[v] * zm[v]; }
                assertEquals((fp - fm) / 2e-2, dh[j], 2e-2);
            }
        }
    }
}
