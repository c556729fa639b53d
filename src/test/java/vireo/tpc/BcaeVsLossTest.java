package vireo.tpc;

import org.junit.jupiter.api.Test;
import vireo.tensor.Tensor;

import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Gradient checks of the BCAE-VS loss ops against central finite differences (float32, so loose-ish tolerances). */
class BcaeVsLossTest {
    static Tensor param(long seed, float std, int... shape) { return Tensor.randn(new SplittableRandom(seed), std, shape).requiresGrad(true); }

    static Tensor dot(Tensor y, float[] r) {
        double s = 0;
        for (int i = 0; i < r.length; i++) s += y.data[i] * r[i];
        Tensor out = Tensor.scalar((float) s);
        return Tensor.record(out, "dot", () -> {
            float[] g = new float[r.length];
            for (int i = 0; i < r.length; i++) g[i] = r[i] * out.grad[0];
            y.accumulate(g);
        }, y);
    }

    static void check(Supplier<Tensor> loss, Tensor... params) {
        for (Tensor p : params) p.zeroGrad();
        loss.get().backward();
        SplittableRandom pick = new SplittableRandom(3);
        for (Tensor p : params) {
            float[] analytic = p.grad.clone();
            for (int t = 0; t < 10; t++) {
                int i = pick.nextInt(p.data.length);
                float keep = p.data[i];
                double eps = 5e-3;
                p.data[i] = (float) (keep + eps);
                double up = Tensor.noGrad(() -> loss.get().item());
                p.data[i] = (float) (keep - eps);
                double down = Tensor.noGrad(() -> loss.get().item());
                p.data[i] = keep;
                double fd = (up - down) / (2 * eps);
                assertEquals(fd, analytic[i], 3e-2 * Math.max(1, Math.abs(fd)), p + "[" + i + "]");
            }
        }
    }

    @Test
    void lossesAndSoftGate() {
        int n = 30;
        Tensor feats = Tensor.zeros(n, 2);
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < 2 * n; i++) feats.data[i] = (float) rng.nextDouble(0.05, 0.95);
        feats.requiresGrad(true);
        int[] pos = new int[n];
        double[] u = new double[n];
        for (int i = 0; i < n; i++) { pos[i] = 2 * i + 1; u[i] = rng.nextDouble(); }
        float[] target = new float[2 * n + 4];
        for (int i = 0; i < target.length; i += 3) target[i] = 7.5f;
        float[] r = Tensor.randn(new SplittableRandom(10), 1f, 2 * n + 4).data;
        check(() -> {
            Tensor v = BcaeVsLoss.softGatedVolume(feats, pos, u, 4, 1, 1, 2 * n + 4);
            Tensor clf = vireo.tensor.Activations.sigmoid(v);
            Tensor reg = vireo.tensor.Activations.leakyRelu(v, 0.1f);
            return BcaeVsLoss.weighted(new double[]{1, 3, 0.7, 0.2}, BcaeVsLoss.focal(clf, target),
                    BcaeVsLoss.maskedL1(reg, clf, target), BcaeVsLoss.meanProb(feats), dot(v, r));
        }, feats);
    }

    @Test
    void focalLossValueMatchesDefinition() {
        Tensor p = Tensor.of(new float[]{0.2f, 0.9f}, 2);
        double want = -((Math.pow(0.2 + 1e-8, 2) * Math.log(0.8 + 1e-8) + Math.pow(0.1 + 1e-8, 2) * Math.log(0.9 + 1e-8)) / Math.log(2)) / 2;
        assertEquals(want, BcaeVsLoss.focal(p, new float[]{0f, 8f}).item(), 1e-6);
    }
}
