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

    /**
     * C[m,n] (=|+=) A·B with A(i,p) = a[aOff + i*ars + p*acs] and B(p,j) = b[bOff + p*brs + j*bcs]: any strided
     * view (a head's slice of a [tokens, dim] block, a key cache read transposed) without copying it first.
     */
    public static void matmulStrided(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                                     float[] c, int cOff, int m, int n, int k, boolean accumulate) {
        Sgemm.gemm(a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, m, n, k, accumulate);
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

    /**
     * Rows four at a time: each x vector load feeds four weight rows (x is read once per four rows, not once per
     * row), and four rows × two unrolled lanes give eight independent FMA chains, enough to hide FMA latency so the
     * loop runs at the speed weights stream from memory.
     */
    private static void matvecRows(java.lang.foreign.MemorySegment seg, DType dt, int k, float[] x, int xOff, float[] out, int outOff, int from, int to) {
        int j = from;
        for (; j + 4 <= to; j += 4) {
            switch (dt) {
                case F32 -> dot4F32(seg, (long) j * k * 4, (long) k * 4, x, xOff, k, out, outOff + j);
                case BF16 -> dot4Half(seg, (long) j * k * 2, (long) k * 2, x, xOff, k, out, outOff + j, true);
                default -> dot4Half(seg, (long) j * k * 2, (long) k * 2, x, xOff, k, out, outOff + j, false);
            }
        }
        for (; j < to; j++) {
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

    /** out[o..o+4) = four consecutive f32 rows (row stride rs bytes) · x. */
    private static void dot4F32(java.lang.foreign.MemorySegment seg, long off, long rs, float[] x, int xOff, int k, float[] out, int o) {
        var z = jdk.incubator.vector.FloatVector.zero(F);
        var a0 = z; var a1 = z; var a2 = z; var a3 = z; var b0 = z; var b1 = z; var b2 = z; var b3 = z;
        int n = F.length(), i = 0, bound2 = k - 2 * n + 1;
        long o0 = off, o1 = off + rs, o2 = off + 2 * rs, o3 = off + 3 * rs;
        for (; i < bound2; i += 2 * n) {
            var xa = jdk.incubator.vector.FloatVector.fromArray(F, x, xOff + i);
            var xb = jdk.incubator.vector.FloatVector.fromArray(F, x, xOff + i + n);
            long p = i * 4L, q = p + n * 4L;
            a0 = jdk.incubator.vector.FloatVector.fromMemorySegment(F, seg, o0 + p, LE).fma(xa, a0);
            a1 = jdk.incubator.vector.FloatVector.fromMemorySegment(F, seg, o1 + p, LE).fma(xa, a1);
            a2 = jdk.incubator.vector.FloatVector.fromMemorySegment(F, seg, o2 + p, LE).fma(xa, a2);
            a3 = jdk.incubator.vector.FloatVector.fromMemorySegment(F, seg, o3 + p, LE).fma(xa, a3);
            b0 = jdk.incubator.vector.FloatVector.fromMemorySegment(F, seg, o0 + q, LE).fma(xb, b0);
            b1 = jdk.incubator.vector.FloatVector.fromMemorySegment(F, seg, o1 + q, LE).fma(xb, b1);
            b2 = jdk.incubator.vector.FloatVector.fromMemorySegment(F, seg, o2 + q, LE).fma(xb, b2);
            b3 = jdk.incubator.vector.FloatVector.fromMemorySegment(F, seg, o3 + q, LE).fma(xb, b3);
        }
        for (; i < k - n + 1; i += n) {
            var xa = jdk.incubator.vector.FloatVector.fromArray(F, x, xOff + i);
            long p = i * 4L;
            a0 = jdk.incubator.vector.FloatVector.fromMemorySegment(F, seg, o0 + p, LE).fma(xa, a0);
            a1 = jdk.incubator.vector.FloatVector.fromMemorySegment(F, seg, o1 + p, LE).fma(xa, a1);
            a2 = jdk.incubator.vector.FloatVector.fromMemorySegment(F, seg, o2 + p, LE).fma(xa, a2);
            a3 = jdk.incubator.vector.FloatVector.fromMemorySegment(F, seg, o3 + p, LE).fma(xa, a3);
        }
        float s0 = sum(a0.add(b0)), s1 = sum(a1.add(b1)),
              s2 = sum(a2.add(b2)), s3 = sum(a3.add(b3));
        for (; i < k; i++) {
            float xi = x[xOff + i];
            long p = i * 4L;
            s0 += seg.get(TensorView.F32, o0 + p) * xi;
            s1 += seg.get(TensorView.F32, o1 + p) * xi;
            s2 += seg.get(TensorView.F32, o2 + p) * xi;
            s3 += seg.get(TensorView.F32, o3 + p) * xi;
        }
        out[o] = s0; out[o + 1] = s1; out[o + 2] = s2; out[o + 3] = s3;
    }

    /** One vector of 16-bit weights (bf16 or IEEE half) at byte offset off, widened to floats. */
    private static jdk.incubator.vector.FloatVector halfs(java.lang.foreign.MemorySegment seg, long off, boolean bf16) {
        var sv = jdk.incubator.vector.ShortVector.fromMemorySegment(S, seg, off, LE);
        var h = (jdk.incubator.vector.IntVector) sv.convertShape(jdk.incubator.vector.VectorOperators.S2I, I, 0);
        if (bf16) return h.lanewise(jdk.incubator.vector.VectorOperators.LSHL, 16).reinterpretAsFloats();
        var mag = h.and(0x7fff);
        var f = mag.lanewise(jdk.incubator.vector.VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f);
        var bits = (jdk.incubator.vector.IntVector) f.reinterpretAsInts();
        bits = bits.lanewise(jdk.incubator.vector.VectorOperators.OR, 0x7f800000, mag.compare(jdk.incubator.vector.VectorOperators.GE, 0x7c00));
        return bits.or(h.and(0x8000).lanewise(jdk.incubator.vector.VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    private static float half(java.lang.foreign.MemorySegment seg, long off, boolean bf16) {
        short v = seg.get(TensorView.I16, off);
        return bf16 ? Float.intBitsToFloat((v & 0xffff) << 16) : Float.float16ToFloat(v);
    }

    /** out[o..o+4) = four consecutive bf16 / f16 rows (row stride rs bytes) · x: four independent FMA chains. */
    private static void dot4Half(java.lang.foreign.MemorySegment seg, long off, long rs, float[] x, int xOff, int k, float[] out, int o, boolean bf16) {
        var z = jdk.incubator.vector.FloatVector.zero(F);
        var a0 = z; var a1 = z; var a2 = z; var a3 = z;
        int n = F.length(), i = 0;
        long o0 = off, o1 = off + rs, o2 = off + 2 * rs, o3 = off + 3 * rs;
        for (; i < k - n + 1; i += n) {
            var xa = jdk.incubator.vector.FloatVector.fromArray(F, x, xOff + i);
            long p = i * 2L;
            a0 = halfs(seg, o0 + p, bf16).fma(xa, a0);
            a1 = halfs(seg, o1 + p, bf16).fma(xa, a1);
            a2 = halfs(seg, o2 + p, bf16).fma(xa, a2);
            a3 = halfs(seg, o3 + p, bf16).fma(xa, a3);
        }
        float s0 = sum(a0), s1 = sum(a1),
              s2 = sum(a2), s3 = sum(a3);
        for (; i < k; i++) {
            float xi = x[xOff + i];
            long p = i * 2L;
            s0 += half(seg, o0 + p, bf16) * xi;
            s1 += half(seg, o1 + p, bf16) * xi;
            s2 += half(seg, o2 + p, bf16) * xi;
            s3 += half(seg, o3 + p, bf16) * xi;
        }
        out[o] = s0; out[o + 1] = s1; out[o + 2] = s2; out[o + 3] = s3;
    }

    /**
     * The lanes of v summed in lane order. Not reduceLanes: its order differs between the interpreter's fallback
     * and the compiled intrinsic, so a result would change with warm-up; this one is the same in every mode.
     */
    private static float sum(jdk.incubator.vector.FloatVector v) {
        float s = 0f;
        for (int i = 0; i < F.length(); i++) s += v.lane(i);
        return s;
    }

    /** Σ seg_f32[off..off+k) · x[xOff..]. */
    static float dotF32(java.lang.foreign.MemorySegment seg, long off, float[] x, int xOff, int k) {
        var acc = jdk.incubator.vector.FloatVector.zero(F);
        int i = 0, bound = F.loopBound(k);
        for (; i < bound; i += F.length()) {
            var wv = jdk.incubator.vector.FloatVector.fromMemorySegment(F, seg, off + i * 4L, LE);
            acc = wv.fma(jdk.incubator.vector.FloatVector.fromArray(F, x, xOff + i), acc);
        }
        float s = sum(acc);
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
        float s = sum(acc);
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
        float s = sum(acc);
        for (; i < k; i++) s += Float.float16ToFloat(seg.get(TensorView.I16, off + i * 2L)) * x[xOff + i];
        return s;
    }

    /**
     * C[m,n] = A[m,k] · Wᵀ with W a (possibly memory-mapped) f32, f16 or bf16 view of shape [n, k]: the batched
     * projection. W is never copied whole: panels of a few hundred KiB of its rows are converted to float on the fly
     * and multiplied on {@link Sgemm}, each panel read once for all m rows of A. Panels run in parallel (each on one
     * thread), so the result does not depend on the thread count.
     */
    public static void matmulNT(float[] a, int m, TensorView w, float[] c) {
        int n = w.shape()[0], k = (int) (w.numel() / n);
        if (m == 1) { matvec(w, a, 0, c, 0); return; }
        java.lang.foreign.MemorySegment seg = w.segment();
        DType dt = w.dtype();
        if (dt != DType.F32 && dt != DType.BF16 && dt != DType.F16)
            throw new IllegalArgumentException("matmul needs f32, f16 or bf16 weights, got " + dt);
        int panel = Math.max(8, Math.min(n, PANEL_FLOATS / k) / 8 * 8);
        int panels = (n + panel - 1) / panel;
        Parallel.forRange(panels, p -> {
            int j0 = p * panel, nb = Math.min(panel, n - j0);
            PanelScratch s = PANEL.get();
            float[] pw = s.w(nb * k), pc = s.c(m * nb);
            toFloats(seg, dt, (long) j0 * k, pw, nb * k);
            Sgemm.gemm(a, 0, k, 1, pw, 0, 1, k, pc, 0, m, nb, k, false);
            for (int i = 0; i < m; i++) System.arraycopy(pc, i * nb, c, i * n + j0, nb);
        });
    }

    /** A weight panel of about 256 KiB: converted once, it stays in L2 while every row of A passes it. */
    static final int PANEL_FLOATS = 1 << 16;

    private static final class PanelScratch {
        float[] w = new float[0], c = new float[0];
        float[] w(int n) { if (w.length < n) w = new float[n]; return w; }
        float[] c(int n) { if (c.length < n) c = new float[n]; return c; }
    }

    private static final ThreadLocal<PanelScratch> PANEL = ThreadLocal.withInitial(PanelScratch::new);

    /** count elements of seg starting at element index from, converted to float into out[0..count). */
    private static void toFloats(java.lang.foreign.MemorySegment seg, DType dt, long from, float[] out, int count) {
        if (dt == DType.F32) {
            java.lang.foreign.MemorySegment.copy(seg, TensorView.F32, from * 4, out, 0, count);
            return;
        }
        boolean bf16 = dt == DType.BF16;
        int i = 0, n = F.length();
        for (; i < count - n + 1; i += n) halfs(seg, (from + i) * 2, bf16).intoArray(out, i);
        for (; i < count; i++) out[i] = half(seg, (from + i) * 2, bf16);
    }

    /** RMSNorm of x[xOff..xOff+n) into out[outOff..): the same arithmetic as {@link #rmsNorm(float[], float[], float[], float)}. */
    public static void rmsNorm(float[] out, int outOff, float[] x, int xOff, int n, float[] weight, float eps) {
        float ss = dot(x, xOff, x, xOff, n);
        float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < n; i++) out[outOff + i] = weight[i] * (x[xOff + i] * inv);
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
        float s = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD); // short (attention heads): the reduction dominates
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }
}
