package vireo.elk;

import java.util.ArrayList;
import java.util.List;

/**
 * elk-generalization's transfer table: a probe per layer trained on one subset (against {@code label}, the
 * character's own label) and evaluated on others against {@code label}, {@code alice_label} and {@code bob_label}.
 * AUROC per layer (accuracy where the test subset has one class only), with layer / num_layers for plots that
 * compare models of different depth.
 */
public final class TransferExperiment {
    /** The paper's experiments (utils/run_transfers): train subset -> test subsets. */
    public static final List<List<QuirkySubset>> PAPER = List.of(
            List.of(QuirkySubset.A, QuirkySubset.A, QuirkySubset.B, QuirkySubset.AH, QuirkySubset.BH),
            List.of(QuirkySubset.B, QuirkySubset.B, QuirkySubset.A, QuirkySubset.BH),
            List.of(QuirkySubset.AE, QuirkySubset.AE, QuirkySubset.AH, QuirkySubset.BE, QuirkySubset.BH),
            List.of(QuirkySubset.ALL, QuirkySubset.ALL, QuirkySubset.BH));
    public static final List<String> LABELS = List.of("label", "alice_label", "bob_label");

    public record Row(String method, String train, String test, String against, int layer, double layerFrac,
                      double auroc, double accuracy, int n) {}

    private TransferExperiment() {}

    public static int[] rows(List<QuirkyRecord> rs, QuirkySubset s) {
        return java.util.stream.IntStream.range(0, rs.size()).filter(i -> s.test.test(rs.get(i))).toArray();
    }

    public static int[] labels(List<QuirkyRecord> rs, int[] rows, String column) {
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) y[i] = rs.get(rows[i]).label(column);
        return y;
    }

    /** Runs one train subset against its test subsets for every layer; {@code train} and {@code test} may differ. */
    public static List<Row> run(ProbeMethod method, List<QuirkyRecord> trainRecords, ElkHiddens trainH,
                                List<QuirkyRecord> testRecords, ElkHiddens testH, List<List<QuirkySubset>> experiments, long seed) {
        List<Row> out = new ArrayList<>();
        int L = trainH.numLayers();
        for (List<QuirkySubset> ex : experiments) {
            QuirkySubset tr = ex.getFirst();
            int[] trRows = rows(trainRecords, tr);
            int[] yTr = labels(trainRecords, trRows, "label");
            if (Double.isNaN(Auroc.of(yTr, new double[yTr.length]))) continue;   // one class only: nothing to fit
            for (int l = 0; l < L; l++) {
                FittedProbe p = method.fit(trainH.layers().get(l).select(trRows), yTr, seed);
                for (QuirkySubset te : ex.subList(1, ex.size())) {
                    int[] teRows = rows(testRecords, te);
                    if (teRows.length == 0) continue;
                    double[] s = p.score(testH.layers().get(l).select(teRows));
                    for (String col : LABELS) {
                        int[] y = labels(testRecords, teRows, col);
                        out.add(new Row(method.id, tr.abbrev, te.abbrev, col, l, (l + 1.0) / L, Auroc.of(y, s),
                                Auroc.accuracy(y, s), teRows.length));
                    }
                }
            }
        }
        return out;
    }

    /** The model's own log-odds as a probe: AUROC on a subset against a label column. */
    public static double lmAuroc(List<QuirkyRecord> rs, ElkHiddens h, QuirkySubset s, String column) {
        int[] rows = rows(rs, s);
        double[] lo = new double[rows.length];
        for (int i = 0; i < rows.length; i++) lo[i] = h.lmLogOdds()[rows[i]];
        return Auroc.of(labels(rs, rows, column), lo);
    }

    /**
     * The paper's headline, as we read it: the share of the gap between the model's own AUROC (against the truth)
     * in truthful (AH) and untruthful (BH) contexts that the best AE-trained probe recovers on BH:
     * (probe_AE->BH - lm_BH) / (lm_AH - lm_BH), probe AUROC against alice_label at its best layer.
     */
    public static double gapRecovered(List<Row> rows, double lmAH, double lmBH) {
        double best = rows.stream().filter(r -> r.train.equals("AE") && r.test.equals("BH") && r.against.equals("alice_label"))
                .mapToDouble(Row::auroc).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
        return (best - lmBH) / (lmAH - lmBH);
    }
}
