package vireo.elk;

/**
 * Contrast-representation clustering (CRC-TPC): LEACE-erase the pair indicator from the stacked [neg; pos], take
 * w = the top principal component of the (centred) differences pos - neg, score = w.(pos - neg). The paper fits
 * a bias and scale on the labels afterwards; AUROC depends only on the sign, resolved on the training labels.
 */
public final class CrcProbe {
    private CrcProbe() {}

    public static FittedProbe fit(LayerFeatures train, int[] y) {
        Leace eraser = Leace.fitPairs(train.requirePairs());
        double[][] diff = diffs(eraser.applyPairs(train.pairs()));
        double[][][] e = Linalg.eigh(Linalg.cov(diff));
        int d = diff[0].length;
        double[] w = new double[d];
        for (int i = 0; i < d; i++) w[i] = e[1][i][d - 1];
        FittedProbe probe = f -> {
            double[][] df = diffs(eraser.applyPairs(f.requirePairs()));
            double[] s = new double[df.length];
            for (int i = 0; i < df.length; i++) s[i] = Linalg.dot(w, df[i]);
            return s;
        };
        return FittedProbe.signResolved(probe, train, y);
    }

    static double[][] diffs(double[][][] pairs) {
        double[][] out = new double[pairs.length][];
        for (int i = 0; i < pairs.length; i++) {
            out[i] = new double[pairs[i][0].length];
            for (int j = 0; j < out[i].length; j++) out[i][j] = pairs[i][1][j] - pairs[i][0][j];
        }
        return out;
    }
}
