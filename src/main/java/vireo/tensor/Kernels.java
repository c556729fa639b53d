package vireo.tensor;

/**
 * The hot loops every model shares. Matrices are row-major float arrays addressed by an offset; weights use
 * PyTorch's [out, in] layout, so {@code y = x·Wᵀ} is {@link #matmulNT}.
 */
public final class Kernels {
    private Kernels() {}

    /** C[m,n] = A[m,k] · W[n,k]ᵀ  (+ C if accumulate). */
    public static void matmulNT(float[] a, int aOff, float[] w, int wOff, float[] c, int cOff, int m, int n, int k, boolean accumulate) {
        Sgemm.gemm(a, aOff, k, 1, w, wOff, 1, k, c, cOff, m, n, k, accumulate);
    }

    /** C[m,n] = A[m,k] · B[k,n]  (+ C if accumulate). */
    public static void matmulNN(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int n, int k, boolean accumulate) {
        Sgemm.gemm(a, aOff, k, 1, b, bOff, n, 1, c, cOff, m, n, k, accumulate);
    }

    /** C[m,n] = A[k,m]ᵀ · B[k,n]  (+ C if accumulate); the weight-gradient product. */
    public static void matmulTN(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int n, int k, boolean accumulate) {
        Sgemm.gemm(a, aOff, 1, m, b, bOff, n, 1, c, cOff, m, n, k, accumulate);
    }

    /** out[n] = W[n,k] · x[k] with W float32 at offset wOff. */
    public static void matvec(float[] w, int wOff, float[] x, int xOff, float[] out, int outOff, int n, int k) {
        if ((long) n * k >= PARALLEL_MATVEC && Parallel.threads() > 1) {
            int blocks = Math.min(n, Parallel.threads() * 4), per = (n + blocks - 1) / blocks;
            Parallel.forRange(blocks, b -> {
                for (int j = b * per, e = Math.min(n, j + per); j < e; j++) out[outOff + j] = dot(w, wOff + j * k, x, xOff, k);
            });
            return;
        }
        for (int j = 0; j < n; j++) out[outOff + j] = dot(w, wOff + j * k, x, xOff, k);
    }

    /** Below this many weights a matrix-vector product stays on the calling thread: hand-off costs more. */
    static final long PARALLEL_MATVEC = 1L << 20;

    /** out[n] = W[n,k] · x[k] with W a (possibly memory-mapped) f32, f16 or bf16 view of shape [n, k]. */
    public static void matvec(TensorView w, float[] x, int xOff, float[] out, int outOff) {
        int n = w.shape()[0], k = (int) (w.numel() / n);
        java.lang.foreign.MemorySegment seg = w.segment();
        DType dt = w.dtype();
        if (dt != DType.F32 && dt != DType.BF16 && dt != DType.F16)
            throw new IllegalArgumentException("matvec needs f32, f16 or bf16 weights, got " + dt);
        if ((long) n * k >= PARALLEL_MATVEC && Parallel.threads() > 1) {
            int blocks = Math.min(n, Parallel.threads() * 4), per = (n + blocks - 1) / blocks;
            Parallel.forRange(blocks, b -> matvecRows(seg, dt, k, x, xOff, out, outOff, b * per, Math.min(n, b * per + per)));
        } else {
            matvecRows(seg, dt, k, x, xOff, out, outOff, 0, n); // small matrices: no lambda, no hand-off
        }
    }

    private static void matvecRows(java.lang.foreign.MemorySegment seg, DType dt, int k, float[] x, int xOff, float[] out, int outOff, int from, int to) {
        for (int j = from; j < to; j++) {
            out[outOff + j] = switch (dt) {
                case F32 -> dotF32(seg, (long) j * k * 4, x, xOff, k);
                case BF16 -> dotBF16(seg, (long) j * k * 2, x, xOff, k);
                default -> dotF16(seg, (long) j * k * 2, x, xOff, k);
            };
        }
    }

    private static final jdk.incubator.vector.VectorSpecies<Float> F = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
    /** Half-width shorts: one load widens to exactly one float vector. */
    private static final jdk.incubator.vector.VectorSpecies<Short> S =
            jdk.incubator.vector.VectorSpecies.of(short.class, jdk.incubator.vector.VectorShape.forBitSize(F.vectorBitSize() / 2));
    private static final jdk.incubator.vector.VectorSpecies<Integer> I =
            jdk.incubator.vector.VectorSpecies.of(int.class, F.vectorShape());
    private static final java.nio.ByteOrder LE = java.nio.ByteOrder.LITTLE_ENDIAN;

    /** Σ seg_f32[off..off+k) · x[xOff..]. */
    static float dotF32(java.lang.foreign.MemorySegment seg, long off, float[] x, int xOff, int k) {
        var acc = jdk.incubator.vector.FloatVector.zero(F);
        int i = 0, bound = F.loopBound(k);
        for (; i < bound; i += F.length()) {
            var wv = jdk.incubator.vector.FloatVector.fromMemorySegment(F, seg, off + i * 4L, LE);
            acc = wv.fma(jdk.incubator.vector.FloatVector.fromArray(F, x, xOff + i), acc);
        }
        float s = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; i < k; i++) s += seg.get(TensorView.F32, off + i * 4L) * x[xOff + i];
        return s;
    }

    /** bf16 is the top half of an f32: widen each 16-bit lane and shift it into place. */
    static float dotBF16(java.lang.foreign.MemorySegment seg, long off, float[] x, int xOff, int k) {
        var acc = jdk.incubator.vector.FloatVector.zero(F);
        int i = 0, bound = F.loopBound(k);
        for (; i < bound; i += F.length()) {
            var sv = jdk.incubator.vector.ShortVector.fromMemorySegment(S, seg, off + i * 2L, LE);
            var bits = (jdk.incubator.vector.IntVector) sv.convertShape(jdk.incubator.vector.VectorOperators.S2I, I, 0);
            var wv = bits.lanewise(jdk.incubator.vector.VectorOperators.LSHL, 16).reinterpretAsFloats();
            acc = wv.fma(jdk.incubator.vector.FloatVector.fromArray(F, x, xOff + i), acc);
        }
        float s = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; i < k; i++) s += Float.intBitsToFloat((seg.get(TensorView.I16, off + i * 2L) & 0xffff) << 16) * x[xOff + i];
        return s;
    }

    /**
     * IEEE half → float in vector lanes: shift exponent+mantissa into float position and rescale by 2^112 with one
     * multiply (which also normalises subnormal halves exactly); Inf/NaN (exponent all ones) get the float
     * exponent forced to all ones; the sign is OR-ed back. Matches {@link Float#float16ToFloat} bit for bit.
     */
    static float dotF16(java.lang.foreign.MemorySegment seg, long off, float[] x, int xOff, int k) {
        var acc = jdk.incubator.vector.FloatVector.zero(F);
        int i = 0, bound = F.loopBound(k);
        for (; i < bound; i += F.length()) {
            var sv = jdk.incubator.vector.ShortVector.fromMemorySegment(S, seg, off + i * 2L, LE);
            var h = (jdk.incubator.vector.IntVector) sv.convertShape(jdk.incubator.vector.VectorOperators.S2I, I, 0);
            var mag = h.and(0x7fff);
            var f = mag.lanewise(jdk.incubator.vector.VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f);
            var bits = (jdk.incubator.vector.IntVector) f.reinterpretAsInts();
            bits = bits.lanewise(jdk.incubator.vector.VectorOperators.OR, 0x7f800000, mag.compare(jdk.incubator.vector.VectorOperators.GE, 0x7c00));
            bits = bits.or(h.and(0x8000).lanewise(jdk.incubator.vector.VectorOperators.LSHL, 16));
            acc = bits.reinterpretAsFloats().fma(jdk.incubator.vector.FloatVector.fromArray(F, x, xOff + i), acc);
        }
        float s = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; i < k; i++) s += Float.float16ToFloat(seg.get(TensorView.I16, off + i * 2L)) * x[xOff + i];
        return s;
    }

    /** RMSNorm of a whole vector: out = weight ⊙ x / sqrt(mean(x²) + eps) (Llama, Mamba). */
    public static void rmsNorm(float[] out, float[] x, float[] weight, float eps) {
        float ss = dot(x, 0, x, 0, x.length);
        float inv = (float) (1.0 / Math.sqrt(ss / x.length + eps));
        for (int i = 0; i < x.length; i++) out[i] = weight[i] * (x[i] * inv);
    }

    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        if (n < F.length()) { // short vectors (small attention heads): a plain loop beats setting up a vector
            float s = 0f;
            for (int i = 0; i < n; i++) s += a[aOff + i] * b[bOff + i];
            return s;
        }
        var acc = jdk.incubator.vector.FloatVector.zero(F);
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length())
            acc = jdk.incubator.vector.FloatVector.fromArray(F, a, aOff + i).fma(jdk.incubator.vector.FloatVector.fromArray(F, b, bOff + i), acc);
        float s = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }
}
