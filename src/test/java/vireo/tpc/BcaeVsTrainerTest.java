package vireo.tpc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

public class BcaeVsTrainerTest {
    /** Synthetic wedges: short tracks along z in random (a, l), log-ADC values like real signal (6.2 … 9). */
    public static List<Wedge> synthetic(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Wedge> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            float[] v = new float[Wedge.VOXELS];
            for (int t = 0; t < 6000; t++) {
                int a = r.nextInt(Wedge.AZIMUTH), l = r.nextInt(Wedge.LAYERS), z0 = r.nextInt(Wedge.Z - 12), len = 3 + r.nextInt(8);
                for (int z = z0; z < z0 + len; z++) v[Wedge.index(a, z, l)] = (float) r.nextDouble(6.2, 9.0);
            }
            out.add(new Wedge(v));
        }
        return out;
    }

    static List<float[]> crops(List<Wedge> ws, int[] c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<float[]> out = new ArrayList<>();
        for (Wedge w : ws) {
            int a0 = r.nextInt(Wedge.AZIMUTH - c[0]), z0 = r.nextInt(Wedge.Z - c[1]);
            float[] v = new float[c[0] * c[1] * c[2]];
            for (int a = 0; a < c[0]; a++) for (int z = 0; z < c[1]; z++)
                System.arraycopy(w.log(), Wedge.index(a0 + a, z0 + z, 0), v, (a * c[1] + z) * c[2], c[2]);
            out.add(v);
        }
        return out;
    }

    @Test
    void aFewStepsOnSmallCropsLowerTheLoss(@TempDir Path dir) throws Exception {
        int[] crop = {12, 12, 8};
        List<Wedge> data = synthetic(1, 2);
        BcaeVsTrainer.Config cfg = BcaeVsTrainer.Config.authors(crop, 7).withBatch(2, 2000).withLr(1e-2);
        BcaeVsTrainer tr = new BcaeVsTrainer(BcaeVs.initialize(3), cfg);
        List<float[]> held = crops(data, new int[]{12, 12, 16}, 11);
        double before = tr.evaluateLoss(held, 12, 12, 16, 5, 100);
        BcaeVsTrainer.StepStats first = null, last = null;
        for (int i = 0; i < 20; i++) {
            last = tr.step(data);
            if (first == null) first = last;
            assertTrue(Double.isFinite(last.loss()), "finite loss at step " + i);
        }
        double after = tr.evaluateLoss(held, 12, 12, 16, 5, 100);
        assertTrue(after < 0.8 * before, "held-out loss " + before + " -> " + after);
        assertTrue(last.meanProb() < first.meanProb() - 0.01, "the rate penalty lowers the keep probability");
        assertEquals(20, tr.step());
        assertEquals((0.5 * 2000 + first.regLoss() / first.clfLoss()) / 1.5, first.coef(), 1e-3 * first.coef());
        assertTrue(last.coef() < 2000, "c adapts: " + last.coef());

        // checkpoint → resume continues with the same weights, moments, step and c; the file loads as a model
        Path ck = dir.resolve("ck.safetensors");
        tr.save(ck);
        BcaeVsTrainer back = BcaeVsTrainer.resume(ck, cfg);
        assertEquals(20, back.step());
        assertEquals(tr.coef(), back.coef(), 1e-9);
        assertEquals(tr.model().identity(), back.model().identity());
        assertEquals(tr.model().identity(), BcaeVs.load(ck).identity());
        assertTrue(Double.isFinite(back.step(data).loss()));
    }

    @Test
    void trainingDecoderInEvalModeEqualsInferenceDecoder() {
        BcaeVs m = BcaeVs.initialize(5);
        SplittableRandom r = new SplittableRandom(2);
        for (BcaeVs.Block b : m.reg.blocks())
            for (int c = 0; c < b.runningMean().size(); c++) { b.runningMean().data[c] = (float) r.nextGaussian() * 0.1f; b.runningVar().data[c] = (float) r.nextDouble(0.5, 2); }
        int d = 5, h = 6, w = 4;
        float[] x = Tensor.randn(r, 1f, d * h * w).data;
        float[] inf = m.reg.forward(x, d, h, w);
        float[] tr = Tensor.noGrad(() -> TrainOps.decoder(m.reg, Tensor.of(x, 1, 1, d, h, w), false)).data;
        assertArrayEquals(inf, tr, 1e-4f);
    }
}
