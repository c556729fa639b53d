package vireo.elk;

/**
 * LEACE (Belrose et al.) for one binary concept, affine: the least-squares edit that makes every linear function
 * of x uncorrelated with z. x' = x - S^{1/2} u u^T S^{-1/2} (x - mu), u = the whitened cross-covariance
 * S^{-1/2} cov(x, z) normalised. CCS normalises contrast pairs with it, and CRC erases the pair indicator with it.
 * (concept-erasure's optional shrinkage and trace constraint are not applied.)
 */
public final class Leace {
    private final double[] mean, u;
    private final double[][] colour, whiten;

    private Leace(double[] mean, double[][] colour, double[][] whiten, double[] u) {
        this.mean = mean; this.colour = colour; this.whiten = whiten; this.u = u;
    }

    public static Leace fit(double[][] x, int[] z) {
        int n = x.length, d = x[0].length;
        double[] mu = Linalg.mean(x);
        double zm = 0;
        for (int v : z) zm += v;
        zm /= n;
        double[] sxz = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) sxz[j] += (x[i][j] - mu[j]) * (z[i] - zm) / (n - 1);
        double[][] s = Linalg.cov(x);
        double[][] w = Linalg.symmetricPower(s, -0.5), wInv = Linalg.symmetricPower(s, 0.5);
        double[] u = Linalg.matVec(w, sxz);
        double norm = Math.sqrt(Linalg.dot(u, u));
        if (norm > 0) for (int j = 0; j < d; j++) u[j] /= norm;
        return new Leace(mu, wInv, w, u);
    }

    public double[] apply(double[] x) {
        double[] c = new double[x.length];
        for (int j = 0; j < x.length; j++) c[j] = x[j] - mean[j];
        double t = Linalg.dot(u, Linalg.matVec(whiten, c));
        double[] back = Linalg.matVec(colour, u);
        double[] out = x.clone();
        for (int j = 0; j < x.length; j++) out[j] -= t * back[j];
        return out;
    }

    /** Fits on the stacked [neg; pos] with z = 0/1 and returns the erased pairs [n][2][d]. */
    static Leace fitPairs(double[][][] pairs) {
        int n = pairs.length;
        double[][] st = new double[2 * n][];
        int[] z = new int[2 * n];
        for (int i = 0; i < n; i++) { st[i] = pairs[i][0]; st[n + i] = pairs[i][1]; z[n + i] = 1; }
        return fit(st, z);
    }

    double[][][] applyPairs(double[][][] pairs) {
        double[][][] out = new double[pairs.length][2][];
        for (int i = 0; i < pairs.length; i++) { out[i][0] = apply(pairs[i][0]); out[i][1] = apply(pairs[i][1]); }
        return out;
    }
}
