package vireo.tensor;

import java.util.Arrays;

/** Normalisation layers with PyTorch semantics: statistics in double, biased variance inside the normalisation. */
public final class Norms {
    private Norms() {}

    /**
     * Batch normalisation over [N, C, ...] (BatchNorm1d/2d/3d alike): per channel C, statistics over N and the
     * spatial axes. Training uses the batch mean and biased variance and updates the running buffers in place,
     * running = (1 − momentum)·running + momentum·batch, with the unbiased variance (PyTorch's rule). Eval uses the
     * running buffers. weight/bias (γ, β) may be null (affine = false); the running buffers never take gradients.
     */
    public static Tensor batchNorm(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                                   boolean training, float momentum, float eps) {
        if (x.rank() < 2) throw new IllegalArgumentException("batchNorm wants [N, C, ...], got " + Arrays.toString(x.shape));
        int n = x.shape[0], c = x.shape[1], vol = x.size() / (n * c);
        long count = (long) n * vol;
        float[] mean = new float[c], invStd = new float[c];
        float[] xs = x.data;
        if (training) {
            if (count < 2) throw new IllegalArgumentException("batchNorm training needs more than one value per channel");
            Parallel.forRange(c, ch -> {
                double s = 0, ss = 0;
                for (int b = 0; b < n; b++) {
                    int off = (b * c + ch) * vol;
                    for (int i = off; i < off + vol; i++) s += xs[i];
                }
                double m = s / count;
                for (int b = 0; b < n; b++) {
                    int off = (b * c + ch) * vol;
                    for (int i = off; i < off + vol; i++) { double d = xs[i] - m; ss += d * d; }
                }
                double var = ss / count;
                mean[ch] = (float) m;
                invStd[ch] = (float) (1 / Math.sqrt(var + eps));
                if (runningMean != null) runningMean.data[ch] = (float) ((1 - momentum) * runningMean.data[ch] + momentum * m);
                if (runningVar != null) runningVar.data[ch] = (float) ((1 - momentum) * runningVar.data[ch] + momentum * ss / (count - 1));
            });
        } else {
            for (int ch = 0; ch < c; ch++) {
                mean[ch] = runningMean.data[ch];
                invStd[ch] = (float) (1 / Math.sqrt(runningVar.data[ch] + (double) eps));
            }
        }
        Tensor out = Tensor.zeros(x.shape);
        Parallel.forRange(n * c, t -> {
            int ch = t % c, off = t * vol;
            float m = mean[ch], is = invStd[ch];
            float g = weight == null ? 1f : weight.data[ch], bb = bias == null ? 0f : bias.data[ch];
            for (int i = off; i < off + vol; i++) out.data[i] = (xs[i] - m) * is * g + bb;
        });
        return Tensor.record(out, training ? "batchNorm" : "batchNormEval", () -> {
            float[] dy = out.grad;
            float[] dGamma = new float[c], dBeta = new float[c];
            float[] dx = x.requiresGrad() ? x.gradBuffer() : null;
            Parallel.forRange(c, ch -> {
                float m = mean[ch], is = invStd[ch];
                double sdy = 0, sdyx = 0;
                for (int b = 0; b < n; b++) {
                    int off = (b * c + ch) * vol;
                    for (int i = off; i < off + vol; i++) { sdy += dy[i]; sdyx += dy[i] * (double) ((xs[i] - m) * is); }
                }
                dGamma[ch] = (float) sdyx;
                dBeta[ch] = (float) sdy;
                if (dx == null) return;
                float g = weight == null ? 1f : weight.data[ch];
                if (training) {
                    // dx = γ·σ⁻¹·(dy − mean(dy) − x̂·mean(dy·x̂)): the batch statistics depend on x too.
                    float a = (float) (sdy / count), bcoef = (float) (sdyx / count);
                    for (int b = 0; b < n; b++) {
                        int off = (b * c + ch) * vol;
                        for (int i = off; i < off + vol; i++)
                            dx[i] += g * is * (dy[i] - a - (xs[i] - m) * is * bcoef);
                    }
                } else {
                    for (int b = 0; b < n; b++) {
                        int off = (b * c + ch) * vol;
                        for (int i = off; i < off + vol; i++) dx[i] += g * is * dy[i];
                    }
                }
            });
            if (weight != null) weight.accumulate(dGamma);
            if (bias != null) bias.accumulate(dBeta);
        }, x, weight, bias);
    }

    /** batchNorm with PyTorch's defaults (momentum 0.1, eps 1e-5). */
    public static Tensor batchNorm(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar, boolean training) {
        return batchNorm(x, weight, bias, runningMean, runningVar, training, 0.1f, 1e-5f);
    }

    /** Layer normalisation over the last axis (nn.LayerNorm(d)); weight/bias [d] may be null. */
    public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        int d = x.dim(-1);
        return groupStats(x, x.size() / d, d, 1, weight, bias, eps, "layerNorm");
    }

    /**
     * Group normalisation of [N, C, ...] (nn.GroupNorm(groups, C)): statistics per sample over each group of
     * C/groups channels and all spatial positions; the affine weight/bias are per channel (may be null).
     */
    public static Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, float eps) {
        int n = x.shape[0], c = x.shape[1];
        if (c % groups != 0) throw new IllegalArgumentException(c + " channels do not split into " + groups + " groups");
        int vol = x.size() / (n * c);
        return groupStats(x, n * groups, (c / groups) * vol, vol, weight, bias, eps, "groupNorm");
    }

    /**
     * Normalises {@code rows} contiguous runs of {@code len} values each to zero mean, unit (biased) variance, then
     * applies a per-feature affine where feature = (position in the run / {@code perFeature}) cycled over the
     * weight's length — for layerNorm every value is its own feature, for groupNorm a channel spans vol values.
     */
    private static Tensor groupStats(Tensor x, int rows, int len, int perFeature, Tensor weight, Tensor bias, float eps, String name) {
        float[] xs = x.data, mean = new float[rows], invStd = new float[rows];
        int features = weight != null ? weight.size() : bias != null ? bias.size() : 1;
        Tensor out = Tensor.zeros(x.shape);
        Parallel.forRange(rows, r -> {
            int off = r * len;
            double s = 0, ss = 0;
            for (int i = off; i < off + len; i++) s += xs[i];
            double m = s / len;
            for (int i = off; i < off + len; i++) { double dd = xs[i] - m; ss += dd * dd; }
            mean[r] = (float) m;
            invStd[r] = (float) (1 / Math.sqrt(ss / len + eps));
            for (int i = 0; i < len; i++) {
                int f = (int) (((long) r * len + i) / perFeature % features);
                float g = weight == null ? 1f : weight.data[f], b = bias == null ? 0f : bias.data[f];
                out.data[off + i] = (xs[off + i] - mean[r]) * invStd[r] * g + b;
            }
        });
        return Tensor.record(out, name, () -> {
            float[] dy = out.grad;
            float[] dx = x.requiresGrad() ? x.gradBuffer() : null;
            float[] gw = weight != null && weight.requiresGrad() ? weight.gradBuffer() : null;
            float[] gb = bias != null && bias.requiresGrad() ? bias.gradBuffer() : null;
            for (int r = 0; r < rows; r++) {
                int off = r * len;
                float m = mean[r], is = invStd[r];
                double sg = 0, sgx = 0;  // Σ ĝ and Σ ĝ·x̂ with ĝ = dy·γ, the gradient at x̂
                for (int i = 0; i < len; i++) {
                    int f = (int) (((long) r * len + i) / perFeature % features);
                    float xh = (xs[off + i] - m) * is, g = weight == null ? 1f : weight.data[f];
                    if (gw != null) gw[f] += dy[off + i] * xh;
                    if (gb != null) gb[f] += dy[off + i];
                    sg += dy[off + i] * g;
                    sgx += dy[off + i] * g * xh;
                }
                if (dx == null) continue;
                float a = (float) (sg / len), b = (float) (sgx / len);
                for (int i = 0; i < len; i++) {
                    int f = (int) (((long) r * len + i) / perFeature % features);
                    float xh = (xs[off + i] - m) * is, g = weight == null ? 1f : weight.data[f];
                    dx[off + i] += is * (dy[off + i] * g - a - xh * b);
                }
            }
        }, x, weight, bias);
    }

    /** RMS normalisation over the last axis, x / √(mean(x²) + eps) · w (Llama's RMSNorm, nn.RMSNorm). */
    public static Tensor rmsNorm(Tensor x, Tensor weight, float eps) {
        int d = x.dim(-1), rows = x.size() / d;
        float[] xs = x.data, inv = new float[rows];
        Tensor out = Tensor.zeros(x.shape);
        Parallel.forRange(rows, r -> {
            int off = r * d;
            double ss = 0;
            for (int i = off; i < off + d; i++) ss += (double) xs[i] * xs[i];
            inv[r] = (float) (1 / Math.sqrt(ss / d + eps));
            for (int i = 0; i < d; i++) out.data[off + i] = xs[off + i] * inv[r] * (weight == null ? 1f : weight.data[i]);
        });
        return Tensor.record(out, "rmsNorm", () -> {
            float[] dy = out.grad;
            float[] dx = x.requiresGrad() ? x.gradBuffer() : null;
            float[] gw = weight != null && weight.requiresGrad() ? weight.gradBuffer() : null;
            for (int r = 0; r < rows; r++) {
                int off = r * d;
                double dot = 0;  // Σ ĝ·x with ĝ = dy·w
                for (int i = 0; i < d; i++) {
                    float g = weight == null ? 1f : weight.data[i];
                    if (gw != null) gw[i] += dy[off + i] * xs[off + i] * inv[r];
                    dot += dy[off + i] * g * xs[off + i];
                }
                if (dx == null) continue;
                // d/dx (x·s) with s = (mean x² + eps)^(-1/2): ĝ·s − x·s³·Σ(ĝ·x)/d
                float s = inv[r], c = (float) (dot / d) * s * s * s;
                for (int i = 0; i < d; i++) dx[off + i] += dy[off + i] * (weight == null ? 1f : weight.data[i]) * s - xs[off + i] * c;
            }
        }, x, weight);
    }
}
