package vireo.elk;

/**
 * elk-generalization's {@code lda}: w = pinv(S_w) (mu1 - mu0) with S_w = (n0 cov0 + n1 cov1) / n, each covariance
 * with Bessel's correction; no bias, sign by train AUROC.
 */
public final class LdaProbe {
    private LdaProbe() {}

    static double[][][] split(double[][] x, int[] y) {
        int n1 = 0;
        for (int v : y) n1 += v;
        if (n1 == 0 || n1 == y.length) throw new IllegalArgumentException("probe training needs both classes");
        double[][] x0 = new double[y.length - n1][], x1 = new double[n1][];
        int a = 0, b = 0;
        for (int i = 0; i < y.length; i++) if (y[i] == 1) x1[b++] = x[i]; else x0[a++] = x[i];
        return new double[][][]{x0, x1};
    }

    public static double[] direction(double[][] x, int[] y) {
        double[][][] p = split(x, y);
        double[][] c0 = Linalg.cov(p[0]), c1 = Linalg.cov(p[1]);
        int d = c0.length, n0 = p[0].length, n1 = p[1].length, n = n0 + n1;
        double[][] s = new double[d][d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) s[i][j] = (n0 * c0[i][j] + n1 * c1[i][j]) / n;
        double[] m0 = Linalg.mean(p[0]), m1 = Linalg.mean(p[1]);
        double[] dm = new double[d];
        for (int j = 0; j < d; j++) dm[j] = m1[j] - m0[j];
        return Linalg.matVec(Linalg.symmetricPower(s, -1), dm);
    }

    public static Probe fit(double[][] x, int[] y) { return Probe.signResolved(direction(x, y), x, y); }
}
