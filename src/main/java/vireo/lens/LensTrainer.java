package vireo.lens;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a tuned lens's translators as EleutherAI's tuned-lens does: loss = Σ over lensed points of the mean
 * per-position KL(final ‖ lens) (or next-token CE); SGD with Nesterov momentum 0.9, lr 1.0 scaled by (1 − momentum),
 * weight decay 1e-3 (coupled, as torch.optim.SGD), linear decay to 0, gradient-norm clipping at 1.0.
 * Each step samples {@code tokensPerStep} positions (seeded) from the training activations.
 */
public final class LensTrainer {
    public enum Loss { KL, CE }

    public record Options(int steps, int tokensPerStep, double lr, double momentum, double weightDecay, double clip,
                          Loss loss, long seed) {
        public static Options defaults() { return new Options(250, 256, 1.0, 0.9, 1e-3, 1.0, Loss.KL, 0); }
    }

    private LensTrainer() {}

    /** Trains {@code lens} in place; returns the loss of every step (before its update). */
    public static double[] train(TunedLens lens, List<Activations> data, Options o) {
        return train(lens, data, o, (step, loss) -> {});
    }

    /** Called after every step with the step index and its loss (for progress output). */
    public interface StepListener { void stepDone(int step, double loss); }

    /** As {@link #train(TunedLens, List, Options)}, reporting each step to {@code listener}. */
    public static double[] train(TunedLens lens, List<Activations> data, Options o, StepListener listener) {
        Translator[] tr = lens.translators();
        int L = tr.length, d = lens.decoder().dModel();
        float[][] gw = new float[L][d * d], gb = new float[L][d];
        float[][] mw = new float[L][d * d], mb = new float[L][d];
        long total = 0;
        for (Activations a : data) total += a.tokens().length - (o.loss() == Loss.CE ? 1 : 0);
        if (total <= 0) throw new IllegalArgumentException("no training positions");
        SplittableRandom rng = new SplittableRandom(o.seed());
        double[] losses = new double[o.steps()];
        double lr0 = o.lr() * (1 - o.momentum());
        for (int step = 0; step < o.steps(); step++) {
            for (int l = 0; l < L; l++) { java.util.Arrays.fill(gw[l], 0f); java.util.Arrays.fill(gb[l], 0f); }
            double loss = 0;
            float scale = 1f / o.tokensPerStep();
            for (int k = 0; k < o.tokensPerStep(); k++) {
                long idx = rng.nextLong(total);
                Activations a = null;
                int t = 0;
                for (Activations x : data) {
                    int cnt = x.tokens().length - (o.loss() == Loss.CE ? 1 : 0);
                    if (idx < cnt) { a = x; t = (int) idx; break; }
                    idx -= cnt;
                }
                double[] lp = o.loss() == Loss.KL ? LensMetrics.logSoftmax(a.finalLogits()[t]) : null;
                for (int l = 0; l < L; l++) {
                    float[] h = a.hidden()[l][t];
                    float[] z = lens.decoder().logits(tr[l].apply(h));
                    double[] lq = LensMetrics.logSoftmax(z);
                    float[] g = new float[z.length]; // d loss / d logits = softmax(lens) − target
                    for (int v = 0; v < z.length; v++) g[v] = (float) Math.exp(lq[v]);
                    if (lp != null) {
                        loss += LensMetrics.kl(lp, lq) * scale;
                        for (int v = 0; v < z.length; v++) g[v] -= (float) Math.exp(lp[v]);
                    } else {
                        int next = a.tokens()[t + 1];
                        loss -= lq[next] * scale;
                        g[next] -= 1f;
                    }
                    float[] dh = lens.decoder().backward(tr[l].apply(h), g);
                    tr[l].accumulate(h, dh, gw[l], gb[l], scale);
                }
            }
            losses[step] = loss;
            double norm = 0;
            for (int l = 0; l < L; l++) { for (float v : gw[l]) norm += v * v; for (float v : gb[l]) norm += v * v; }
            norm = Math.sqrt(norm);
            double c = norm > o.clip() ? o.clip() / (norm + 1e-6) : 1.0;
            double lr = lr0 * (1.0 - (double) step / o.steps());
            for (int l = 0; l < L; l++) {
                update(tr[l].weight, gw[l], mw[l], c, lr, o);
                update(tr[l].bias, gb[l], mb[l], c, lr, o);
            }
            listener.stepDone(step, loss);
        }
        return losses;
    }

    private static void update(float[] p, float[] g, float[] m, double clip, double lr, Options o) {
        for (int i = 0; i < p.length; i++) {
            double gi = g[i] * clip + o.weightDecay() * p[i];
            m[i] = (float) (o.momentum() * m[i] + gi);
            p[i] -= (float) (lr * (gi + o.momentum() * m[i]));
        }
    }
}
