package vireo.elk;

/** The small dense linear algebra the probes need, in double precision: means, covariances, symmetric eigen. */
final class Linalg {
    private Linalg() {}

    static double[] mean(double[][] x) {
        int d = x[0].length;
        double[] m = new double[d];
        for (double[] r : x) for (int j = 0; j < d; j++) m[j] += r[j];
        for (int j = 0; j < d; j++) m[j] /= x.length;
        return m;
    }

    /** Covariance with Bessel's correction (torch.cov's default). */
    static double[][] cov(double[][] x) {
        int n = x.length, d = x[0].length;
        double[] m = mean(x);
        double[][] c = new double[d][d];
        for (double[] r : x)
            for (int i = 0; i < d; i++) {
                double a = r[i] - m[i];
                for (int j = i; j < d; j++) c[i][j] += a * (r[j] - m[j]);
            }
        for (int i = 0; i < d; i++) for (int j = i; j < d; j++) { c[i][j] /= (n - 1); c[j][i] = c[i][j]; }
        return c;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double[] matVec(double[][] a, double[] v) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) o[i] = dot(a[i], v);
        return o;
    }

    /** Eigen-decomposition of a symmetric matrix: {values (ascending), vectors as columns}. */
    static double[][][] eigh(double[][] s) {
        vireo.tensor.SymmetricEigen e = vireo.tensor.SymmetricEigen.of(s);
        return new double[][][]{{e.values()}, e.vectors()};
    }

    /**
     * f(S) for symmetric S through its eigenvalues, dropping those below rtol * max|lambda| (torch.linalg.pinv's rule
     * with rtol = d * eps): power -1 is the pseudo-inverse, -1/2 and 1/2 are the whitening and colouring maps.
     */
    static double[][] symmetricPower(double[][] s, double power) {
        int d = s.length;
        double[][][] e = eigh(s);
        double[] l = e[0][0];
        double[][] u = e[1];
        double max = 0;
        for (double x : l) max = Math.max(max, Math.abs(x));
        double cut = d * Math.ulp(1.0) * max;
        double[][] out = new double[d][d];
        for (int k = 0; k < d; k++) {
            if (l[k] <= cut) continue;
            double f = Math.pow(l[k], power);
            for (int i = 0; i < d; i++) {
                double ui = u[i][k] * f;
                for (int j = 0; j < d; j++) out[i][j] += ui * u[j][k];
            }
        }
        return out;
    }
}
