package vireo.elk;

/** A probe fitted on one layer: log-odds (or a monotone score) per record of a {@link LayerFeatures}. */
@FunctionalInterface
public interface FittedProbe {
    double[] score(LayerFeatures f);

    /** Negates the probe when its training AUROC is below 0.5. */
    static FittedProbe signResolved(FittedProbe p, LayerFeatures train, int[] y) {
        if (Auroc.of(y, p.score(train)) >= 0.5) return p;
        return f -> {
            double[] s = p.score(f);
            for (int i = 0; i < s.length; i++) s[i] = -s[i];
            return s;
        };
    }
}
