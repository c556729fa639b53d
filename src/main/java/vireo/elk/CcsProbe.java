package vireo.elk;

import java.util.Random;

/**
 * Contrast-consistent search (Burns et al.) as elk-generalization runs it: contrast pairs normalised by LEACE
 * (erasing the pair indicator), a linear probe with bias on each member, loss mean (p0 - (1 - p1))^2 +
 * mean min(p0, p1)^2 + 0.01 ||w||^2, L-BFGS with 10 random restarts (the lowest loss kept). Score ("full"
 * ensembling) = (l1 - l0) / 2. CCS is unsupervised; its sign is resolved on the training labels like the others.
 */
public final class CcsProbe {
    private CcsProbe() {}

    public static double[] fitWeights(double[][][] pairs, long seed) {
        int n = pairs.length, d = pairs[0][0].length;
        double wd = 0.01;
        Lbfgs.Objective f = (p, g) -> {
            java.util.Arrays.fill(g, 0);
            double loss = 0;
            for (double[][] pr : pairs) {
                double l0 = p[d], l1 = p[d];
                for (int j = 0; j < d; j++) { l0 += p[j] * pr[0][j]; l1 += p[j] * pr[1][j]; }
                double p0 = sig(l0), p1 = sig(l1);
                double c = p0 - (1 - p1), m = Math.min(p0, p1);
                loss += c * c + m * m;
                double g0 = 2 * c * p0 * (1 - p0), g1 = 2 * c * p1 * (1 - p1);
                if (p0 <= p1) g0 += 2 * m * p0 * (1 - p0); else g1 += 2 * m * p1 * (1 - p1);
                g0 /= n; g1 /= n;
                for (int j = 0; j < d; j++) g[j] += g0 * pr[0][j] + g1 * pr[1][j];
                g[d] += g0 + g1;
            }
            loss /= n;
            for (int j = 0; j < d; j++) { loss += wd * p[j] * p[j]; g[j] += 2 * wd * p[j]; }
            return loss;
        };
        Random rnd = new Random(seed);
        double best = Double.POSITIVE_INFINITY;
        double[] bestP = null, g = new double[d + 1];
        for (int r = 0; r < 10; r++) {
            double[] p0 = new double[d + 1];
            for (int j = 0; j < d; j++) p0[j] = rnd.nextGaussian() / Math.sqrt(d);
            double[] p = Lbfgs.minimize(f, p0, 1000, 1e-10);
            double l = f.eval(p, g);
            if (l < best) { best = l; bestP = p; }
        }
        return bestP;
    }

    static double sig(double z) { return 1 / (1 + Math.exp(-z)); }

    public static FittedProbe fit(LayerFeatures train, int[] y, long seed) {
        Leace norm = Leace.fitPairs(train.requirePairs());
        double[] p = fitWeights(norm.applyPairs(train.pairs()), seed);
        int d = p.length - 1;
        FittedProbe probe = f -> {
            double[][][] e = norm.applyPairs(f.requirePairs());
            double[] s = new double[e.length];
            for (int i = 0; i < e.length; i++) {
                double l0 = p[d], l1 = p[d];
                for (int j = 0; j < d; j++) { l0 += p[j] * e[i][0][j]; l1 += p[j] * e[i][1][j]; }
                s[i] = (l1 - l0) / 2;
            }
            return s;
        };
        return FittedProbe.signResolved(probe, train, y);
    }
}
