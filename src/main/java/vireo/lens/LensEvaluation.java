package vireo.lens;

import java.util.List;

/**
 * Mean per-position KL(final ‖ lens), next-token CE and entropy at every lensed point, plus bits per UTF-8 byte
 * (sum over tokens / bytes / ln 2) as tuned-lens reports them. CE is over positions that have a next token.
 */
public record LensEvaluation(int tokens, long bytes, List<Layer> layers) {
    public record Layer(String hook, double kl, double ce, double entropy, double klBitsPerByte, double ceBitsPerByte) {}

    public static LensEvaluation of(Lens lens, List<String> hooks, List<Activations> texts, long bytes) {
        int P = lens.points();
        double[] kl = new double[P], ce = new double[P], ent = new double[P];
        int n = 0, nce = 0;
        for (Activations a : texts) {
            int T = a.tokens().length;
            for (int t = 0; t < T; t++) {
                double[] lp = LensMetrics.logSoftmax(a.finalLogits()[t]);
                for (int p = 0; p < P; p++) {
                    double[] lq = LensMetrics.logSoftmax(lens.logits(p, a.hidden()[p][t]));
                    kl[p] += LensMetrics.kl(lp, lq);
                    ent[p] += LensMetrics.entropy(lq);
                    if (t + 1 < T) ce[p] -= lq[a.tokens()[t + 1]];
                }
                n++;
                if (t + 1 < T) nce++;
            }
        }
        java.util.ArrayList<Layer> out = new java.util.ArrayList<>();
        double ln2 = Math.log(2);
        for (int p = 0; p < P; p++)
            out.add(new Layer(hooks.get(p), kl[p] / n, ce[p] / Math.max(1, nce), ent[p] / n,
                    kl[p] / bytes / ln2, ce[p] / bytes / ln2));
        return new LensEvaluation(n, bytes, List.copyOf(out));
    }
}
