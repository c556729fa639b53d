package vireo.tpc;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import vireo.tensor.Parallel;

/**
 * Inference-only fused block of the BCAE-VS decoders on one sample: ReflectionPad3d(1) → Conv3d(k=3, stride 1) →
 * per-channel affine (bias and eval-mode BatchNorm folded into scale·conv + shift) → optional LeakyReLU.
 * Volumes are [C][D][H][W] (NCDHW without N), weights PyTorch's [C_out][C_in][3][3][3].
 *
 * <p>The inference fast path: training uses the autograd ops of vireo.tensor (Conv.conv3d, Norms.batchNorm), whose
 * results this matches ({@code BcaeVsTrainerTest}; max difference 2.7e-5 measured on the sample wedge). Kept because fusing pad, conv, BN
 * and LeakyReLU with the vector loop along W (16 layers = one 512-bit vector) and four output channels per input
 * load measured several times faster than the im2col path on this machine (0.45–2 s vs 6–15 s per head per wedge).
 */
final class DenseConv3d {
    private DenseConv3d() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Reflection padding by one on D, H and W: index −1 reads 1, index N reads N−2 (PyTorch ReflectionPad3d). */
    static float[] reflectPad(float[] x, int c, int d, int h, int w) {
        int dp = d + 2, hp = h + 2, wp = w + 2;
        float[] out = new float[c * dp * hp * wp];
        Parallel.forRange(c * dp, cz -> {
            int ch = cz / dp, zz = reflect(cz % dp - 1, d);
            for (int yy = 0; yy < hp; yy++) {
                int sy = reflect(yy - 1, h);
                int src = ((ch * d + zz) * h + sy) * w, dst = ((ch * dp + cz % dp) * hp + yy) * wp;
                System.arraycopy(x, src, out, dst + 1, w);
                out[dst] = x[src + reflect(-1, w)];
                out[dst + wp - 1] = x[src + reflect(w, w)];
            }
        });
        return out;
    }

    static int reflect(int i, int n) { return i < 0 ? -i : i >= n ? 2 * n - 2 - i : i; }

    /**
     * y[co] = act(scale[co] · (Σ w[co,ci,kd,kh,kw] · xpad[ci, d+kd, h+kh, w+kw]) + shift[co]); x is unpadded.
     */
    static float[] forward(float[] x, int cin, int d, int h, int w, float[] weight, int cout, float[] scale, float[] shift,
                           float leakySlope, boolean activate) {
        float[] xp = reflectPad(x, cin, d, h, w);
        float[] y = new float[cout * d * h * w];
        int blocks = (cout + 3) / 4;
        Parallel.forRange(d * blocks, task -> {
            int z = task / blocks, co0 = (task % blocks) * 4;
            for (int yy = 0; yy < h; yy++) row(xp, y, weight, scale, shift, leakySlope, activate, cin, cout, d, h, w, z, yy, co0);
        });
        return y;
    }

    /** One output row (z, yy) for up to four output channels starting at co0. */
    private static void row(float[] xp, float[] y, float[] weight, float[] scale, float[] shift, float slope, boolean activate,
                            int cin, int cout, int d, int h, int w, int z, int yy, int co0) {
        int hp = h + 2, wp = w + 2, plane = hp * wp, vol = (d + 2) * plane, stride = cin * 27;
        int nco = Math.min(4, cout - co0);
        for (int w0 = 0; w0 < w; w0 += S.length()) {
            VectorMask<Float> m = S.indexInRange(w0, w);
            boolean full = w0 + S.length() <= w;
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (int ci = 0; ci < cin; ci++) {
                for (int kd = 0; kd < 3; kd++) {
                    for (int kh = 0; kh < 3; kh++) {
                        int base = ci * vol + (z + kd) * plane + (yy + kh) * wp + w0;
                        int wb = ((co0 * cin + ci) * 3 + kd) * 9 + kh * 3;
                        for (int kw = 0; kw < 3; kw++) {
                            FloatVector v = full ? FloatVector.fromArray(S, xp, base + kw) : FloatVector.fromArray(S, xp, base + kw, m);
                            int wi = wb + kw;
                            a0 = v.fma(FloatVector.broadcast(S, weight[wi]), a0);
                            if (nco > 1) a1 = v.fma(FloatVector.broadcast(S, weight[wi + stride]), a1);
                            if (nco > 2) a2 = v.fma(FloatVector.broadcast(S, weight[wi + 2 * stride]), a2);
                            if (nco > 3) a3 = v.fma(FloatVector.broadcast(S, weight[wi + 3 * stride]), a3);
                        }
                    }
                }
            }
            store(a0, y, co0, scale, shift, slope, activate, d, h, w, z, yy, w0, full, m);
            if (nco > 1) store(a1, y, co0 + 1, scale, shift, slope, activate, d, h, w, z, yy, w0, full, m);
            if (nco > 2) store(a2, y, co0 + 2, scale, shift, slope, activate, d, h, w, z, yy, w0, full, m);
            if (nco > 3) store(a3, y, co0 + 3, scale, shift, slope, activate, d, h, w, z, yy, w0, full, m);
        }
    }

    private static void store(FloatVector acc, float[] y, int co, float[] scale, float[] shift, float slope, boolean activate,
                              int d, int h, int w, int z, int yy, int w0, boolean full, VectorMask<Float> m) {
        FloatVector r = acc.mul(scale[co]).add(shift[co]);
        if (activate) r = r.max(r.mul(slope)); // LeakyReLU for slope < 1
        int off = ((co * d + z) * h + yy) * w + w0;
        if (full) r.intoArray(y, off);
        else r.intoArray(y, off, m);
    }

    /** 1×1×1 convolution to one channel with bias: y = Σ_c w[c]·x[c] + b. */
    static float[] pointwise(float[] x, int cin, int voxels, float[] weight, float bias) {
        float[] y = new float[voxels];
        java.util.Arrays.fill(y, bias);
        for (int c = 0; c < cin; c++) {
            float wc = weight[c];
            int off = c * voxels;
            for (int i = 0; i < voxels; i++) y[i] += wc * x[off + i];
        }
        return y;
    }
}
