package vireo.elk;

/**
 * elk-generalization's {@code lr}: a linear classifier with bias, zero-initialised, fitted by L-BFGS on
 * mean BCE-with-logits + l2 * ||w||^2 (the bias is not penalised), l2 = 1e-3 by default.
 */
public final class LogisticRegressionProbe {
    public static final double DEFAULT_L2 = 1e-3;

    private LogisticRegressionProbe() {}

    /** Returns {w..., b}. */
    public static double[] fitWeights(double[][] x, int[] y, double l2) {
        int n = x.length, d = x[0].length;
        Lbfgs.Objective f = (p, g) -> {
            java.util.Arrays.fill(g, 0);
            double loss = 0, b = p[d];
            for (int i = 0; i < n; i++) {
                double z = b;
                for (int j = 0; j < d; j++) z += p[j] * x[i][j];
                // BCE-with-logits, stable: max(z,0) - z*y + log(1 + exp(-|z|))
                loss += Math.max(z, 0) - z * y[i] + Math.log1p(Math.exp(-Math.abs(z)));
                double r = (1 / (1 + Math.exp(-z)) - y[i]) / n;
                for (int j = 0; j < d; j++) g[j] += r * x[i][j];
                g[d] += r;
            }
            loss /= n;
            for (int j = 0; j < d; j++) { loss += l2 * p[j] * p[j]; g[j] += 2 * l2 * p[j]; }
            return loss;
        };
        return Lbfgs.minimize(f, new double[d + 1], 10_000, 1e-12);
    }

    public static Probe fit(double[][] x, int[] y) {
        double[] p = fitWeights(x, y, DEFAULT_L2);
        int d = x[0].length;
        return Probe.linear(java.util.Arrays.copyOf(p, d), p[d]);
    }
}
