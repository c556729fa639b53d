package vireo.elk;

/**
 * Mechanistic anomaly detection (elk-generalization's anomaly/detect_anomaly.py, method "mahalanobis"): fit mean
 * and covariance on trusted data (Alice-easy), score (x - mu)^T pinv(S) (x - mu); high = anomalous. The paper
 * feeds it the per-layer log-odds of an AE-trained probe; it works on raw activations of one layer as well.
 */
public final class MahalanobisDetector {
    private final double[] mean;
    private final double[][] precision;

    private MahalanobisDetector(double[] mean, double[][] precision) { this.mean = mean; this.precision = precision; }

    public static MahalanobisDetector fit(double[][] normal) {
        if (normal.length < 2) throw new IllegalArgumentException("anomaly detector needs at least 2 trusted rows");
        return new MahalanobisDetector(Linalg.mean(normal), Linalg.symmetricPower(Linalg.cov(normal), -1));
    }

    public double[] score(double[][] x) {
        double[] s = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] c = new double[mean.length];
            for (int j = 0; j < c.length; j++) c[j] = x[i][j] - mean[j];
            s[i] = Linalg.dot(c, Linalg.matVec(precision, c));
        }
        return s;
    }
}
