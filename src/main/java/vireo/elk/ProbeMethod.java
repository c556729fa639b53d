package vireo.elk;

import java.util.Random;

/** The probes of elk-generalization, by their names there. */
public enum ProbeMethod {
    LR("lr"), MEAN_DIFF("mean-diff"), LDA("lda"), CCS("ccs"), CRC("crc"),
    LR_ON_PAIR("lr-on-pair"), MEAN_DIFF_ON_PAIR("mean-diff-on-pair");

    public final String id;

    ProbeMethod(String id) { this.id = id; }

    public static ProbeMethod of(String s) {
        for (ProbeMethod m : values()) if (m.id.equals(s)) return m;
        throw new IllegalArgumentException("unknown probe method " + s
                + " (lr, mean-diff, lda, ccs, crc, lr-on-pair, mean-diff-on-pair)");
    }

    public boolean needsPairs() { return this == CCS || this == CRC || this == LR_ON_PAIR || this == MEAN_DIFF_ON_PAIR; }

    public FittedProbe fit(LayerFeatures train, int[] y, long seed) {
        return switch (this) {
            case LR -> onLast(LogisticRegressionProbe.fit(train.requireLast(), y));
            case MEAN_DIFF -> onLast(MeanDiffProbe.fit(train.requireLast(), y));
            case LDA -> onLast(LdaProbe.fit(train.requireLast(), y));
            case CCS -> CcsProbe.fit(train, y, seed);
            case CRC -> CrcProbe.fit(train, y);
            case LR_ON_PAIR -> onPair(LogisticRegressionProbe.fit(train.concatenatedPairs(), y));
            case MEAN_DIFF_ON_PAIR -> onPair(MeanDiffProbe.fit(train.concatenatedPairs(), y));
        };
    }

    private static FittedProbe onLast(Probe p) { return f -> p.score(f.requireLast()); }

    private static FittedProbe onPair(Probe p) { return f -> p.score(f.concatenatedPairs()); }

    /**
     * The paper's random baseline: {@code k} Gaussian directions on the last-token states, each sign-resolved on
     * train; returns the test AUROCs sorted ascending (read quantiles off them).
     */
    public static double[] randomBaseline(LayerFeatures train, int[] yTrain, LayerFeatures test, int[] yTest, int k, long seed) {
        Random rnd = new Random(seed);
        int d = train.requireLast()[0].length;
        double[] out = new double[k];
        for (int r = 0; r < k; r++) {
            double[] w = new double[d];
            for (int j = 0; j < d; j++) w[j] = rnd.nextGaussian();
            out[r] = Auroc.of(yTest, Probe.signResolved(w, train.last(), yTrain).score(test.requireLast()));
        }
        java.util.Arrays.sort(out);
        return out;
    }
}
