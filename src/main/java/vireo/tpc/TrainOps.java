package vireo.tpc;

import vireo.tensor.Parallel;
import vireo.tensor.Tensor;

/**
 * The dense decoder ops with autograd that BCAE-VS training needs, on [B, C, D, H, W] tensors: Conv3d k3 with
 * reflection padding 1 (+ bias), BatchNorm3d (training: batch statistics and running-stat update; eval: running
 * statistics), LeakyReLU, 1×1×1 Conv3d. Private stand-in until the "core" helper's vireo.tensor conv3d / batchnorm3d
 * are in main; forward and backward side by side.
 */
final class TrainOps {
    private TrainOps() {}

    /** y = conv3d(reflectpad1(x), w) + b; w [Co, Ci, 3, 3, 3]. */
    static Tensor conv3dReflect(Tensor x, Tensor w, Tensor bias) {
        int B = x.dim(0), ci = x.dim(1), d = x.dim(2), h = x.dim(3), wd = x.dim(4), co = w.dim(0);
        int vol = d * h * wd, inSample = ci * vol;
        float[] ones = new float[co];
        java.util.Arrays.fill(ones, 1f);
        Tensor y = Tensor.zeros(B, co, d, h, wd);
        for (int b = 0; b < B; b++) {
            float[] xs = java.util.Arrays.copyOfRange(x.data, b * inSample, (b + 1) * inSample);
            float[] ys = DenseConv3d.forward(xs, ci, d, h, wd, w.data, co, ones, bias.data, 0f, false);
            System.arraycopy(ys, 0, y.data, b * co * vol, co * vol);
        }
        return Tensor.record(y, "conv3d_reflect", () -> {
            int dp = d + 2, hp = h + 2, wp = wd + 2;
            float[] gW = w.requiresGrad() ? w.gradBuffer() : null, gB = bias.requiresGrad() ? bias.gradBuffer() : null;
            float[] gX = x.requiresGrad() ? x.gradBuffer() : null;
            for (int b = 0; b < B; b++) {
                int bb = b;
                float[] xs = java.util.Arrays.copyOfRange(x.data, b * inSample, (b + 1) * inSample);
                float[] xp = DenseConv3d.reflectPad(xs, ci, d, h, wd);
                float[] gxp = gX == null ? null : new float[ci * dp * hp * wp];
                // weight and bias gradient: parallel over output channels (disjoint rows of gW)
                if (gW != null || gB != null) Parallel.forRange(co, o -> {
                    int gOff = (bb * co + o) * vol;
                    if (gB != null) { double s = 0; for (int i = 0; i < vol; i++) s += y.grad[gOff + i]; gB[o] += (float) s; }
                    if (gW == null) return;
                    for (int c = 0; c < ci; c++)
                        for (int k = 0; k < 27; k++) {
                            int kd = k / 9, kh = k / 3 % 3, kw = k % 3;
                            double s = 0;
                            for (int z = 0; z < d; z++)
                                for (int yy = 0; yy < h; yy++) {
                                    int g = gOff + (z * h + yy) * wd, xpo = ((c * dp + z + kd) * hp + yy + kh) * wp + kw;
                                    float acc = 0f;
                                    for (int q = 0; q < wd; q++) acc += y.grad[g + q] * xp[xpo + q];
                                    s += acc;
                                }
                            gW[(o * ci + c) * 27 + k] += (float) s;
                        }
                });
                if (gxp != null) {
                    // input gradient: parallel over input channels (disjoint planes of gxp)
                    Parallel.forRange(ci, c -> {
                        for (int o = 0; o < co; o++) {
                            int gOff = (bb * co + o) * vol;
                            for (int k = 0; k < 27; k++) {
                                int kd = k / 9, kh = k / 3 % 3, kw = k % 3;
                                float wv = w.data[(o * ci + c) * 27 + k];
                                for (int z = 0; z < d; z++)
                                    for (int yy = 0; yy < h; yy++) {
                                        int g = gOff + (z * h + yy) * wd, xpo = ((c * dp + z + kd) * hp + yy + kh) * wp + kw;
                                        for (int q = 0; q < wd; q++) gxp[xpo + q] += wv * y.grad[g + q];
                                    }
                            }
                        }
                    });
                    // fold the padded gradient back through the reflection
                    for (int c = 0; c < ci; c++)
                        for (int z = 0; z < dp; z++)
                            for (int yy = 0; yy < hp; yy++)
                                for (int q = 0; q < wp; q++) {
                                    int sz = DenseConv3d.reflect(z - 1, d), sy = DenseConv3d.reflect(yy - 1, h), sq = DenseConv3d.reflect(q - 1, wd);
                                    gX[b * inSample + ((c * d + sz) * h + sy) * wd + sq] += gxp[((c * dp + z) * hp + yy) * wp + q];
                                }
                }
            }
        }, x, w, bias);
    }

    /**
     * BatchNorm3d. Training: normalise with the batch mean and biased variance, update running stats with momentum
     * 0.1 (unbiased variance, as PyTorch). Eval: running statistics.
     */
    static Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor runMean, Tensor runVar, boolean training, float eps) {
        int B = x.dim(0), C = x.dim(1), vol = x.size() / (B * C);
        long m = (long) B * vol;
        float[] mean = new float[C], invStd = new float[C];
        for (int c = 0; c < C; c++) {
            if (training) {
                double s = 0, s2 = 0;
                for (int b = 0; b < B; b++) {
                    int off = (b * C + c) * vol;
                    for (int i = 0; i < vol; i++) { double v = x.data[off + i]; s += v; s2 += v * v; }
                }
                double mu = s / m, var = Math.max(0, s2 / m - mu * mu);
                mean[c] = (float) mu;
                invStd[c] = (float) (1 / Math.sqrt(var + eps));
                runMean.data[c] = (float) (0.9 * runMean.data[c] + 0.1 * mu);
                runVar.data[c] = (float) (0.9 * runVar.data[c] + 0.1 * var * m / Math.max(1, m - 1));
            } else {
                mean[c] = runMean.data[c];
                invStd[c] = (float) (1 / Math.sqrt(runVar.data[c] + eps));
            }
        }
        Tensor y = Tensor.zeros(x.shape);
        float[] xhat = new float[x.size()];
        for (int b = 0; b < B; b++)
            for (int c = 0; c < C; c++) {
                int off = (b * C + c) * vol;
                for (int i = 0; i < vol; i++) {
                    xhat[off + i] = (x.data[off + i] - mean[c]) * invStd[c];
                    y.data[off + i] = gamma.data[c] * xhat[off + i] + beta.data[c];
                }
            }
        return Tensor.record(y, training ? "batchnorm3d_train" : "batchnorm3d_eval", () -> {
            float[] gx = new float[x.size()];
            for (int c = 0; c < C; c++) {
                double sg = 0, sgx = 0;
                for (int b = 0; b < B; b++) {
                    int off = (b * C + c) * vol;
                    for (int i = 0; i < vol; i++) { sg += y.grad[off + i]; sgx += y.grad[off + i] * xhat[off + i]; }
                }
                if (gamma.requiresGrad()) gamma.gradBuffer()[c] += (float) sgx;
                if (beta.requiresGrad()) beta.gradBuffer()[c] += (float) sg;
                float g = gamma.data[c];
                for (int b = 0; b < B; b++) {
                    int off = (b * C + c) * vol;
                    for (int i = 0; i < vol; i++) {
                        gx[off + i] = training
                                ? (float) (g * invStd[c] * (y.grad[off + i] - sg / m - xhat[off + i] * sgx / m))
                                : g * invStd[c] * y.grad[off + i];
                    }
                }
            }
            x.accumulate(gx);
        }, x, gamma, beta);
    }

    static Tensor leakyRelu(Tensor x, float slope) {
        Tensor y = Tensor.zeros(x.shape);
        for (int i = 0; i < y.data.length; i++) { float v = x.data[i]; y.data[i] = v > 0 ? v : slope * v; }
        return Tensor.record(y, "leaky_relu", () -> {
            float[] g = new float[y.data.length];
            for (int i = 0; i < g.length; i++) g[i] = x.data[i] > 0 ? y.grad[i] : slope * y.grad[i];
            x.accumulate(g);
        }, x);
    }

    /** 1×1×1 conv to one channel: y[b, 0] = Σ_c w[0, c]·x[b, c] + bias; output [B, 1, D, H, W]. */
    static Tensor pointwise(Tensor x, Tensor w, Tensor bias) {
        int B = x.dim(0), C = x.dim(1), vol = x.size() / (B * C);
        int[] shape = x.shape.clone();
        shape[1] = 1;
        Tensor y = Tensor.zeros(shape);
        for (int b = 0; b < B; b++)
            for (int c = 0; c < C; c++) {
                float wc = w.data[c];
                int off = (b * C + c) * vol;
                for (int i = 0; i < vol; i++) y.data[b * vol + i] += wc * x.data[off + i];
            }
        for (int i = 0; i < y.data.length; i++) y.data[i] += bias.data[0];
        return Tensor.record(y, "conv1x1x1", () -> {
            float[] gx = new float[x.size()];
            double sb = 0;
            for (int i = 0; i < y.data.length; i++) sb += y.grad[i];
            if (bias.requiresGrad()) bias.gradBuffer()[0] += (float) sb;
            for (int b = 0; b < B; b++)
                for (int c = 0; c < C; c++) {
                    int off = (b * C + c) * vol;
                    double s = 0;
                    for (int i = 0; i < vol; i++) { s += y.grad[b * vol + i] * x.data[off + i]; gx[off + i] = w.data[c] * y.grad[b * vol + i]; }
                    if (w.requiresGrad()) w.gradBuffer()[c] += (float) s;
                }
            x.accumulate(gx);
        }, x, w, bias);
    }

    /** One decoder head with autograd; training selects batch statistics in BatchNorm. */
    static Tensor decoder(BcaeVs.Decoder dec, Tensor x, boolean training) {
        Tensor h = x;
        for (BcaeVs.Block b : dec.blocks()) {
            h = conv3dReflect(h, b.weight(), b.bias());
            h = batchNorm(h, b.gamma(), b.beta(), b.runningMean(), b.runningVar(), training, BcaeVs.BN_EPS);
            h = leakyRelu(h, BcaeVs.LEAKY_SLOPE);
        }
        return pointwise(h, dec.outWeight(), dec.outBias());
    }
}
