package vireo.elk;

import java.util.List;

/**
 * AUROC of flagging Bob's hard records among all hard records (Alice's hard are the normal ones), with a
 * Mahalanobis detector fitted on Alice-easy: per layer on the last-token activations, and as in the paper on
 * the vector of per-layer log-odds of a probe trained on Alice-easy.
 */
public final class AnomalyExperiment {
    public record Result(double[] perLayerAuroc, double probeLogOddsAuroc) {}

    private AnomalyExperiment() {}

    public static Result run(List<QuirkyRecord> rs, ElkHiddens h, ProbeMethod probe, long seed) {
        int[] ae = TransferExperiment.rows(rs, QuirkySubset.AE);
        int[] ah = TransferExperiment.rows(rs, QuirkySubset.AH), bh = TransferExperiment.rows(rs, QuirkySubset.BH);
        int[] test = new int[ah.length + bh.length], isBob = new int[test.length];
        System.arraycopy(ah, 0, test, 0, ah.length);
        System.arraycopy(bh, 0, test, ah.length, bh.length);
        for (int i = ah.length; i < test.length; i++) isBob[i] = 1;
        int L = h.numLayers();
        double[] perLayer = new double[L];
        double[][] trainLo = new double[ae.length][L], testLo = new double[test.length][L];
        int[] yAe = TransferExperiment.labels(rs, ae, "label");
        for (int l = 0; l < L; l++) {
            LayerFeatures f = h.layers().get(l);
            MahalanobisDetector m = MahalanobisDetector.fit(f.select(ae).requireLast());
            perLayer[l] = Auroc.of(isBob, m.score(f.select(test).requireLast()));
            FittedProbe p = probe.fit(f.select(ae), yAe, seed);
            double[] a = p.score(f.select(ae)), b = p.score(f.select(test));
            for (int i = 0; i < ae.length; i++) trainLo[i][l] = a[i];
            for (int i = 0; i < test.length; i++) testLo[i][l] = b[i];
        }
        double viaProbe = Auroc.of(isBob, MahalanobisDetector.fit(trainLo).score(testLo));
        return new Result(perLayer, viaProbe);
    }

}
