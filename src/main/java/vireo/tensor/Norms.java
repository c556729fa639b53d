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
}
