package vireo.lens;

/** Per-position lens statistics in nats: KL(final ‖ lens), next-token cross-entropy, lens entropy. */
public final class LensMetrics {
    private LensMetrics() {}

    public static double[] logSoftmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) max = Math.max(max, v);
        double s = 0;
        for (float v : z) s += Math.exp(v - max);
        double lse = max + Math.log(s);
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) out[i] = z[i] - lse;
        return out;
    }

    /** KL(p ‖ q) for log-probabilities lp, lq. */
    public static double kl(double[] lp, double[] lq) {
        double s = 0;
        for (int i = 0; i < lp.length; i++) s += Math.exp(lp[i]) * (lp[i] - lq[i]);
        return s;
    }

    public static double entropy(double[] lq) {
        double s = 0;
        for (double v : lq) s -= Math.exp(v) * v;
        return s;
    }
}
