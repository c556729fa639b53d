package vireo.tpc;

import vireo.tensor.Tensor;

/**
 * BCAE-VS training losses (authors' biloss.py / train.py), each a scalar op with its backward:
 * <ul>
 * <li>regression: L1 of reg·[clf > 0.5] against x, mean over all voxels; the indicator carries no gradient;</li>
 * <li>classification: focal loss γ = 2 with base-2 logs, eps 1e-8, label x > 0, mean over all voxels;</li>
 * <li>rate: the mean keep probability over signal voxels (its coefficient is chosen outside, undifferentiated).</li>
 * </ul>
 */
final class BcaeVsLoss {
    private BcaeVsLoss() {}

    static final double FOCAL_EPS = 1e-8, GAMMA = 2;
    private static final double LN2 = Math.log(2);

    static Tensor maskedL1(Tensor reg, Tensor clf, float[] x) {
        int n = x.length;
        double s = 0;
        float[] sign = new float[n];
        for (int i = 0; i < n; i++) {
            float m = clf.data[i] > BcaeVs.CLF_THRESHOLD ? 1f : 0f;
            float d = reg.data[i] * m - x[i];
            s += Math.abs(d);
            sign[i] = m * Math.signum(d);
        }
        Tensor out = Tensor.scalar((float) (s / n));
        return Tensor.record(out, "masked_l1", () -> {
            float g = out.grad[0] / n;
            float[] gr = new float[n];
            for (int i = 0; i < n; i++) gr[i] = sign[i] * g;
            reg.accumulate(gr);
        }, reg);
    }

    /** FL = −mean( p1^γ·log2(p0)·(1−y) + p0^γ·log2(p1)·y ), p1 = pred + eps, p0 = 1 − pred + eps. */
    static Tensor focal(Tensor pred, float[] x) {
        int n = x.length;
        double s = 0;
        for (int i = 0; i < n; i++) {
            double p1 = pred.data[i] + FOCAL_EPS, p0 = 1 - pred.data[i] + FOCAL_EPS;
            s += x[i] > 0 ? Math.pow(p0, GAMMA) * Math.log(p1) / LN2 : Math.pow(p1, GAMMA) * Math.log(p0) / LN2;
        }
        Tensor out = Tensor.scalar((float) (-s / n));
        return Tensor.record(out, "focal", () -> {
            double g = -out.grad[0] / n;
            float[] gp = new float[n];
            for (int i = 0; i < n; i++) {
                double p1 = pred.data[i] + FOCAL_EPS, p0 = 1 - pred.data[i] + FOCAL_EPS, d;
                if (x[i] > 0) d = -2 * p0 * Math.log(p1) / LN2 + p0 * p0 / (p1 * LN2);
                else d = 2 * p1 * Math.log(p0) / LN2 - p1 * p1 / (p0 * LN2);
                gp[i] = (float) (g * d);
            }
            pred.accumulate(gp);
        }, pred);
    }

    /** Mean of column 0 (prob) of encoder features [n, 2]. */
    static Tensor meanProb(Tensor features) {
        int n = features.dim(0);
        double s = 0;
        for (int i = 0; i < n; i++) s += features.data[2 * i];
        Tensor out = Tensor.scalar((float) (s / Math.max(1, n)));
        return Tensor.record(out, "mean_prob", () -> {
            float[] g = new float[features.size()];
            for (int i = 0; i < n; i++) g[2 * i] = out.grad[0] / n;
            features.accumulate(g);
        }, features);
    }

    /** Σ w_i · t_i over scalars. */
    static Tensor weighted(double[] w, Tensor... t) {
        double s = 0;
        for (int i = 0; i < t.length; i++) s += w[i] * t[i].item();
        Tensor out = Tensor.scalar((float) s);
        return Tensor.record(out, "weighted_sum", () -> {
            for (int i = 0; i < t.length; i++) t[i].accumulate(new float[]{(float) (w[i] * out.grad[0])});
        }, t);
    }

    /**
     * The soft-gated code as a dense decoder input [B, 1, D, H, W]: at each active site r (flat position pos[r]),
     * regr·sigmoid(α·(logit(p) − logit(u))), zero elsewhere. Gradients flow to both prob and regr.
     */
    static Tensor softGatedVolume(Tensor features, int[] pos, double[] u, double alpha, int... shape) {
        int n = features.dim(0);
        Tensor out = Tensor.zeros(shape);
        float[] gate = new float[n];
        for (int r = 0; r < n; r++) {
            double p = features.data[2 * r];
            gate[r] = (float) (1 / (1 + Math.exp(-alpha * (FeatureOps.logit(p, Gate.EPS) - FeatureOps.logit(u[r], Gate.EPS)))));
            out.data[pos[r]] = features.data[2 * r + 1] * gate[r];
        }
        return Tensor.record(out, "soft_gate", () -> {
            float[] g = new float[2 * n];
            for (int r = 0; r < n; r++) {
                float go = out.grad[pos[r]];
                double p = features.data[2 * r];
                double dlogit = p > Gate.EPS && p < 1 - Gate.EPS ? 1 / (p * (1 - p)) : 0; // clamp has no gradient
                g[2 * r] = (float) (go * features.data[2 * r + 1] * alpha * gate[r] * (1 - gate[r]) * dlogit);
                g[2 * r + 1] = go * gate[r];
            }
            features.accumulate(g);
        }, features);
    }
}
