package vireo.tensor;

import java.util.Arrays;

/**
 * The transformer's sequence ops on the autograd tape, each forward with its backward right below: RMSNorm over the
 * last axis, rotary position embedding (both pairings), and causal multi-head (grouped-query) attention over a batch
 * of equal-length rows. Rows shorter than the batch are padded at the end: under a causal mask a padding position
 * never influences a real one, so the loss mask alone removes it.
 */
public final class Attention {
    private Attention() {}

    /** y = w ⊙ x / sqrt(mean(x²) + eps) per row of the last axis (Llama, Mamba). */
    public static Tensor rmsNorm(Tensor x, Tensor w, float eps) {
        int d = x.dim(-1), rows = x.size() / d;
        if (w.size() != d) throw new IllegalArgumentException("rmsNorm: weight of " + w.size() + " for rows of " + d);
        float[] xs = x.data, ws = w.data, inv = new float[rows];
        Tensor out = Tensor.zeros(x.shape);
        float[] ys = out.data;
        Parallel.forRange(rows, r -> {
            int o = r * d;
            float ss = Kernels.dot(xs, o, xs, o, d);
            float iv = (float) (1.0 / Math.sqrt(ss / d + eps));
            inv[r] = iv;
            for (int i = 0; i < d; i++) ys[o + i] = ws[i] * (xs[o + i] * iv);
        });
        return Tensor.record(out, "rmsNorm", () -> {
            float[] dy = out.grad;
            if (x.requiresGrad()) {
                float[] dx = x.gradBuffer();
                // dx = inv·(w⊙dy) − x·inv³/d·Σ(w⊙dy⊙x)
                Parallel.forRange(rows, r -> {
                    int o = r * d;
                    float iv = inv[r];
                    double s = 0;
                    for (int i = 0; i < d; i++) s += (double) ws[i] * dy[o + i] * xs[o + i];
                    float c = (float) (s * iv * iv * iv / d);
                    for (int i = 0; i < d; i++) dx[o + i] += iv * ws[i] * dy[o + i] - xs[o + i] * c;
                });
            }
            if (w.requiresGrad()) {
                float[] dw = w.gradBuffer();
                for (int r = 0; r < rows; r++) {
                    int o = r * d;
                    float iv = inv[r];
                    for (int i = 0; i < d; i++) dw[i] += dy[o + i] * xs[o + i] * iv;
                }
            }
        }, x, w);
    }

    /**
     * Rotary embedding of x [rows, heads·headSize] where row r sits at position r mod {@code seqLen}. Pair i of a
     * head is (2i, 2i+1) when {@code interleaved} (llama2.c / Meta), else (i, i + headSize/2) (Hugging Face). The
     * tables hold cos/sin [position][headSize/2]. Backward rotates the gradient by the opposite angle.
     */
    public static Tensor rope(Tensor x, int heads, int seqLen, float[] cos, float[] sin, boolean interleaved) {
        int width = x.dim(-1), rows = x.size() / width, hs = width / heads, half = hs / 2;
        if (hs * heads != width || (long) seqLen * half > cos.length)
            throw new IllegalArgumentException("rope: rows of " + width + " for " + heads + " heads, " + seqLen + " positions");
        Tensor out = Tensor.zeros(x.shape);
        rotate(x.data, out.data, rows, heads, hs, seqLen, cos, sin, interleaved, 1f, false);
        return Tensor.record(out, "rope", () ->
                rotate(out.grad, x.gradBuffer(), rows, heads, hs, seqLen, cos, sin, interleaved, -1f, true), x);
    }

    private static void rotate(float[] src, float[] dst, int rows, int heads, int hs, int seqLen, float[] cos, float[] sin,
                               boolean interleaved, float sign, boolean accumulate) {
        int half = hs / 2, width = heads * hs;
        Parallel.forRange(rows, r -> {
            int t = (r % seqLen) * half;
            for (int h = 0; h < heads; h++) {
                int o = r * width + h * hs;
                for (int i = 0; i < half; i++) {
                    int a = interleaved ? o + 2 * i : o + i, b = interleaved ? a + 1 : a + half;
                    float c = cos[t + i], s = sign * sin[t + i], va = src[a], vb = src[b];
                    float ya = va * c - vb * s, yb = va * s + vb * c;
                    if (accumulate) { dst[a] += ya; dst[b] += yb; } else { dst[a] = ya; dst[b] = yb; }
                }
            }
        });
    }

    /** cos/sin tables [position][half] for the given inverse frequencies. */
    public static float[][] ropeTables(int positions, double[] invFreq) {
        int half = invFreq.length;
        float[] cos = new float[positions * half], sin = new float[positions * half];
        for (int p = 0; p < positions; p++)
            for (int i = 0; i < half; i++) {
                double a = p * invFreq[i];
                cos[p * half + i] = (float) Math.cos(a);
                sin[p * half + i] = (float) Math.sin(a);
            }
        return new float[][]{cos, sin};
    }

    /**
     * Causal softmax attention: q [batch·seqLen, heads·hs], k and v [batch·seqLen, kvHeads·hs] (query head h reads
     * key/value head h / (heads/kvHeads)); returns [batch·seqLen, heads·hs]. Scores QKᵀ/√hs, PV and all four
     * backward products run on the matmul kernels per (sequence, head); the probabilities are kept for backward.
     */
    public static Tensor causal(Tensor q, Tensor k, Tensor v, int batch, int seqLen, int heads, int kvHeads) {
        int width = q.dim(-1), hs = width / heads, kvWidth = kvHeads * hs, group = heads / kvHeads, T = seqLen;
        if (q.size() != batch * T * width || k.size() != batch * T * kvWidth || v.size() != k.size())
            throw new IllegalArgumentException("attention: q " + Arrays.toString(q.shape) + ", k " + Arrays.toString(k.shape)
                    + " for batch " + batch + " × " + T + " positions, " + heads + "/" + kvHeads + " heads");
        float scale = (float) (1.0 / Math.sqrt(hs));
        float[] probs = new float[batch * heads * T * T];
        Tensor out = Tensor.zeros(batch * T, width);
        Parallel.forRange(batch * kvHeads, job -> {
            int b = job / kvHeads, kh = job % kvHeads;
            float[] kb = gather(k.data, b, T, kvWidth, kh * hs, hs), vb = gather(v.data, b, T, kvWidth, kh * hs, hs);
            float[] ob = new float[T * hs];
            for (int h = kh * group; h < (kh + 1) * group; h++) {
                float[] qb = gather(q.data, b, T, width, h * hs, hs);
                int po = (b * heads + h) * T * T;
                Kernels.matmulNT(qb, 0, kb, 0, probs, po, T, T, hs, false);
                for (int i = 0; i < T; i++) {
                    int row = po + i * T;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) max = Math.max(max, probs[row + j] *= scale);
                    float sum = 0;
                    for (int j = 0; j <= i; j++) sum += probs[row + j] = (float) Math.exp(probs[row + j] - max);
                    float is = 1f / sum;
                    for (int j = 0; j <= i; j++) probs[row + j] *= is;
                    Arrays.fill(probs, row + i + 1, row + T, 0f);
                }
                Kernels.matmulNN(probs, po, vb, 0, ob, 0, T, hs, T, false);
                scatter(ob, out.data, b, T, width, h * hs, hs, false);
            }
        });
        return Tensor.record(out, "causalAttention", () -> {
            float[] dq = q.requiresGrad() ? q.gradBuffer() : null, dk = k.requiresGrad() ? k.gradBuffer() : null,
                    dv = v.requiresGrad() ? v.gradBuffer() : null;
            Parallel.forRange(batch * kvHeads, job -> {
                int b = job / kvHeads, kh = job % kvHeads;
                float[] kb = gather(k.data, b, T, kvWidth, kh * hs, hs), vb = gather(v.data, b, T, kvWidth, kh * hs, hs);
                float[] dkb = new float[T * hs], dvb = new float[T * hs], dp = new float[T * T], dqb = new float[T * hs];
                for (int h = kh * group; h < (kh + 1) * group; h++) {
                    float[] qb = gather(q.data, b, T, width, h * hs, hs), dob = gather(out.grad, b, T, width, h * hs, hs);
                    int po = (b * heads + h) * T * T;
                    Kernels.matmulNT(dob, 0, vb, 0, dp, 0, T, T, hs, false);          // dP = dO·Vᵀ
                    Kernels.matmulTN(probs, po, dob, 0, dvb, 0, T, hs, T, true);      // dV += Pᵀ·dO
                    for (int i = 0; i < T; i++) {                                     // dS = P ⊙ (dP − Σ P·dP)·scale
                        int row = i * T;
                        double s = 0;
                        for (int j = 0; j <= i; j++) s += (double) probs[po + row + j] * dp[row + j];
                        for (int j = 0; j <= i; j++) dp[row + j] = probs[po + row + j] * (dp[row + j] - (float) s) * scale;
                        Arrays.fill(dp, row + i + 1, row + T, 0f);
                    }
                    if (dq != null) {
                        Kernels.matmulNN(dp, 0, kb, 0, dqb, 0, T, hs, T, false);      // dQ = dS·K
                        scatter(dqb, dq, b, T, width, h * hs, hs, true);
                    }
                    Kernels.matmulTN(dp, 0, qb, 0, dkb, 0, T, hs, T, true);           // dK += dSᵀ·Q
                }
                if (dk != null) scatter(dkb, dk, b, T, kvWidth, kh * hs, hs, true);
                if (dv != null) scatter(dvb, dv, b, T, kvWidth, kh * hs, hs, true);
            });
        }, q, k, v);
    }

    /** The [T, hs] block of head columns [col, col + hs) of sequence b from a [batch·T, width] matrix. */
    private static float[] gather(float[] src, int b, int T, int width, int col, int hs) {
        float[] dst = new float[T * hs];
        for (int t = 0; t < T; t++) System.arraycopy(src, (b * T + t) * width + col, dst, t * hs, hs);
        return dst;
    }

    private static void scatter(float[] blk, float[] dst, int b, int T, int width, int col, int hs, boolean accumulate) {
        for (int t = 0; t < T; t++) {
            int o = (b * T + t) * width + col;
            if (accumulate) for (int i = 0; i < hs; i++) dst[o + i] += blk[t * hs + i];
            else System.arraycopy(blk, t * hs, dst, o, hs);
        }
    }
}
