package vireo.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Single-precision matrix product C[m,n] = op(A)·op(B) (+ C), the engine behind {@link Kernels#matmulNT},
 * {@link Kernels#matmulNN} and {@link Kernels#matmulTN}.
 *
 * <p>Goto-style blocking: a KC×NC panel of B is packed into NR-wide column strips, an MC×KC block of A into MR-tall
 * row strips (both zero-padded, so the micro-kernel never sees a ragged edge), and an MR × NR register tile of
 * accumulators (6 rows × 2 vectors) runs over KC. Operands are addressed through (row stride, column stride), so
 * one packer serves all three layouts. Packing buffers are thread-local and reused. Large products are split into
 * row (or column) blocks over {@link Parallel}; each block is an independent product, so results do not depend on
 * the thread count.
 */
final class Sgemm {
    private Sgemm() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    static final int MR = 6;
    static final int NR = 2 * L;
    /** k block: one NR-wide B strip (KC·NR floats) stays in L1 while a row strip of A streams past. */
    static final int KC = 256;
    /** m block: the packed A block (MC·KC floats, 144 KiB) stays in L2. */
    static final int MC = 144;
    /** n block: the packed B panel (KC·NC floats, 2 MiB) stays in L3. */
    static final int NC = 2048;
    /** With fewer rows or columns than this, packing costs more than the register tile saves: see {@link #skinny}. */
    static final int SKINNY = 8;
    /** Below this many flops the packing and blocking cost more than they save. */
    static final long SMALL_FLOPS = 64 * 1024;
    /**
     * Below this many flops (~100 µs on one core) one thread does it all: measured at 64×64×512 and 128×128×256, two
     * threads were slower than one (pool hand-off and per-k-block barriers).
     */
    static final long PARALLEL_FLOPS = 16L << 20;

    private record Scratch(float[] a, float[] b, float[] tile) {}

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(
            () -> new Scratch(new float[MC * KC], new float[KC * NC], new float[MR * NR]));

    /**
     * C[cOff + i*n + j] (=|+=) Σ_p A(i,p)·B(p,j) with A(i,p) = a[aOff + i*ars + p*acs], B(p,j) = b[bOff + p*brs + j*bcs].
     */
    static void gemm(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                     float[] c, int cOff, int m, int n, int k, boolean accumulate) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * n, cOff + i * n + n, 0f);
            return;
        }
        long flops = 2L * m * n * k;
        if (flops < SMALL_FLOPS) {
            small(a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, n, 0, m, 0, n, k, accumulate);
            return;
        }
        int threads = Parallel.threads();
        boolean parallel = threads > 1 && flops >= PARALLEL_FLOPS && !(Thread.currentThread() instanceof ForkJoinWorkerThread);
        if ((m < SKINNY || n < SKINNY) && skinny(a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, m, n, k, accumulate, parallel)) return;
        if (parallel) {
            if (m >= n || n < 2 * NR) {
                if (m >= 2 * MR) {
                    sharedPanels(a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, m, n, k, accumulate, threads);
                    return;
                }
            } else {
                // Wide and short: column blocks are independent products (each packs only its own B columns).
                int units = (n + NR - 1) / NR;
                int blocks = Math.min(units, threads * (units >= 8 * threads ? 4 : 1));
                int per = (units + blocks - 1) / blocks * NR;
                int nb = (n + per - 1) / per;
                Parallel.forRange(nb, t -> {
                    int lo = t * per, hi = Math.min(n, lo + per);
                    blocked(a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, n, 0, m, lo, hi, k, accumulate);
                });
                return;
            }
        }
        blocked(a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, n, 0, m, 0, n, k, accumulate);
    }

    /**
     * Tall products on several threads: each KC×NC panel of B is packed once (strips shared out over the threads)
     * into the calling thread's buffer, then row blocks of C are run in parallel, each packing its own rows of A.
     */
    private static void sharedPanels(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                                     float[] c, int cOff, int m, int n, int k, boolean accumulate, int threads) {
        float[] pb = SCRATCH.get().b;
        int units = (m + MR - 1) / MR;
        int blocks = Math.min(units, threads * 4);
        int per = (units + blocks - 1) / blocks * MR;
        int nb = (m + per - 1) / per;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc), jcF = jc;
            int strips = (nc + NR - 1) / NR, sPer = (strips + threads - 1) / threads;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc), pcF = pc;
                boolean zero = !accumulate && pc == 0;
                Parallel.forRange(threads, t -> packB(b, bOff + pcF * brs + jcF * bcs, brs, bcs, kc, nc, pb,
                        Math.min(strips, t * sPer), Math.min(strips, (t + 1) * sPer)));
                Parallel.forRange(nb, t -> {
                    Scratch s = SCRATCH.get();
                    int lo = t * per, hi = Math.min(m, lo + per);
                    if (zero) for (int i = lo; i < hi; i++) java.util.Arrays.fill(c, cOff + i * n + jcF, cOff + i * n + jcF + nc, 0f);
                    for (int ic = lo; ic < hi; ic += MC) {
                        int mc = Math.min(MC, hi - ic);
                        packA(a, aOff + ic * ars + pcF * acs, ars, acs, mc, kc, s.a);
                        macro(s.a, pb, c, cOff + ic * n + jcF, n, mc, nc, kc, s.tile);
                    }
                });
            }
        }
    }

    /**
     * Few rows or few columns: unpacked vector loops along the long contiguous direction (dot products when both
     * operands run along k, row updates C[i,:] += A(i,p)·B[p,:] when B rows are contiguous, a transposed
     * accumulator when A is stored k-major). Returns false for layouts it does not handle.
     */
    private static boolean skinny(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                                  float[] c, int cOff, int m, int n, int k, boolean accumulate, boolean parallel) {
        // Thresholds measured at k = 1024, n or m = 4096 (one thread): below them these loops beat the packed tile.
        if (acs == 1 && brs == 1) {                       // A·Wᵀ: every element is a dot product of two rows
            if (m >= SKINNY && n >= 6) return false;
            if (m >= n) split(m, 16, parallel, (lo, hi) -> dots(a, aOff, ars, b, bOff, bcs, c, cOff, n, lo, hi, 0, n, k, accumulate));
            else split(n, 16, parallel, (lo, hi) -> dots(a, aOff, ars, b, bOff, bcs, c, cOff, n, 0, m, lo, hi, k, accumulate));
            return true;
        }
        if (bcs != 1) return false;
        if (m < 4) {                                      // few rows: C[i, :] += A(i,p)·B[p, :] over column chunks
            split(n, 4 * L, parallel, (lo, hi) -> {
                for (int i = 0; i < m; i++) {
                    int ci = cOff + i * n;
                    if (!accumulate) java.util.Arrays.fill(c, ci + lo, ci + hi, 0f);
                    for (int p = 0; p < k; p++) axpy(a[aOff + i * ars + p * acs], b, bOff + p * brs + lo, c, ci + lo, hi - lo);
                }
            });
            return true;
        }
        if (n >= SKINNY) return false;
        if (acs == 1) {                                   // A·B with few columns: transpose B, then dot products
            float[] bt = new float[n * k];
            for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) bt[j * k + p] = b[bOff + p * brs + j];
            split(m, 16, parallel, (lo, hi) -> dots(a, aOff, ars, bt, 0, k, c, cOff, n, lo, hi, 0, n, k, accumulate));
            return true;
        }
        if (ars == 1) {                                   // Aᵀ·B with few columns: accumulate Cᵀ[j, :] += B[p,j]·A[p, :]
            float[] ct = new float[n * m];
            split(m, 4 * L, parallel, (lo, hi) -> {
                for (int p = 0; p < k; p++)
                    for (int j = 0; j < n; j++) axpy(b[bOff + p * brs + j], a, aOff + p * acs + lo, ct, j * m + lo, hi - lo);
                for (int i = lo; i < hi; i++)
                    for (int j = 0; j < n; j++) {
                        int ci = cOff + i * n + j;
                        c[ci] = accumulate ? c[ci] + ct[j * m + i] : ct[j * m + i];
                    }
            });
            return true;
        }
        return false;
    }

    private interface Range { void run(int lo, int hi); }

    /** Runs body over [0, extent) in chunks (multiples of unit) on the pool when parallel, else in one go. */
    private static void split(int extent, int unit, boolean parallel, Range body) {
        if (!parallel || extent < 2 * unit) { body.run(0, extent); return; }
        int units = (extent + unit - 1) / unit;
        int blocks = Math.min(units, Parallel.threads() * 4);
        int per = (units + blocks - 1) / blocks * unit, nb = (extent + per - 1) / per;
        Parallel.forRange(nb, t -> body.run(t * per, Math.min(extent, (t + 1) * per)));
    }

    /** C[i, j] (=|+=) A[i, :]·B[j, :] for rows i in [i0,i1), columns j in [j0,j1); rows contiguous along k. */
    private static void dots(float[] a, int aOff, int ars, float[] b, int bOff, int bcs, float[] c, int cOff, int ldc,
                             int i0, int i1, int j0, int j1, int k, boolean accumulate) {
        for (int j = j0; j < j1; j++)
            for (int i = i0; i < i1; i++) {
                float s = Kernels.dot(a, aOff + i * ars, b, bOff + j * bcs, k);
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + s : s;
            }
    }

    /** y[0..len) += alpha · x[0..len). */
    private static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        FloatVector av = FloatVector.broadcast(F, alpha);
        int j = 0;
        for (int bound = F.loopBound(len); j < bound; j += L)
            av.fma(FloatVector.fromArray(F, x, xOff + j), FloatVector.fromArray(F, y, yOff + j)).intoArray(y, yOff + j);
        for (; j < len; j++) y[yOff + j] += alpha * x[xOff + j];
    }

    /** Direct loops for tiny products (rows i0..i1, columns j0..j1 of C with row length ldc). */
    private static void small(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                              float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1, int k, boolean accumulate) {
        for (int i = i0; i < i1; i++) {
            for (int j = j0; j < j1; j++) {
                float s = 0f;
                int ai = aOff + i * ars, bj = bOff + j * bcs;
                for (int p = 0; p < k; p++) s += a[ai + p * acs] * b[bj + p * brs];
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + s : s;
            }
        }
    }

    /** The blocked product for the C sub-block rows [i0,i1) × columns [j0,j1), on the calling thread. */
    private static void blocked(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                                float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1, int k, boolean accumulate) {
        Scratch s = SCRATCH.get();
        float[] pa = s.a, pb = s.b;
        // The micro-kernel only ever adds into C (one code path keeps it small enough for C2 to inline every
        // vector operation); overwriting is zeroing first.
        if (!accumulate) for (int i = i0; i < i1; i++) java.util.Arrays.fill(c, cOff + i * ldc + j0, cOff + i * ldc + j1, 0f);
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(b, bOff + pc * brs + jc * bcs, brs, bcs, kc, nc, pb);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(a, aOff + ic * ars + pc * acs, ars, acs, mc, kc, pa);
                    macro(pa, pb, c, cOff + ic * ldc + jc, ldc, mc, nc, kc, s.tile);
                }
            }
        }
    }

    /** Packs B(p, j) for p < kc, j < nc into NR-wide strips: strip s holds kc rows of NR consecutive columns. */
    private static void packB(float[] b, int off, int brs, int bcs, int kc, int nc, float[] pb) {
        packB(b, off, brs, bcs, kc, nc, pb, 0, (nc + NR - 1) / NR);
    }

    /** Packs strips [s0, s1) only (several threads can fill one shared panel). */
    private static void packB(float[] b, int off, int brs, int bcs, int kc, int nc, float[] pb, int s0, int s1) {
        int idx = s0 * kc * NR;
        for (int j0 = s0 * NR, jEnd = Math.min(nc, s1 * NR); j0 < jEnd; j0 += NR) {
            int w = Math.min(NR, nc - j0);
            if (bcs == 1 && w == NR) {
                for (int p = 0; p < kc; p++) {
                    int src = off + p * brs + j0;
                    FloatVector.fromArray(F, b, src).intoArray(pb, idx);
                    FloatVector.fromArray(F, b, src + L).intoArray(pb, idx + L);
                    idx += NR;
                }
            } else if (brs == 1) {
                // B(p, j) contiguous along p (the Wᵀ case): walk each source column once.
                for (int jj = 0; jj < w; jj++) {
                    int src = off + (j0 + jj) * bcs;
                    for (int p = 0; p < kc; p++) pb[idx + p * NR + jj] = b[src + p];
                }
                for (int jj = w; jj < NR; jj++) for (int p = 0; p < kc; p++) pb[idx + p * NR + jj] = 0f;
                idx += kc * NR;
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = off + p * brs + j0 * bcs;
                    for (int jj = 0; jj < w; jj++) pb[idx + jj] = b[src + jj * bcs];
                    for (int jj = w; jj < NR; jj++) pb[idx + jj] = 0f;
                    idx += NR;
                }
            }
        }
    }

    /** Packs A(i, p) for i < mc, p < kc into MR-tall strips: strip s holds kc columns of MR consecutive rows. */
    private static void packA(float[] a, int off, int ars, int acs, int mc, int kc, float[] pa) {
        int idx = 0;
        for (int i0 = 0; i0 < mc; i0 += MR) {
            int h = Math.min(MR, mc - i0);
            if (acs == 1) {
                for (int ii = 0; ii < h; ii++) {
                    int src = off + (i0 + ii) * ars;
                    for (int p = 0; p < kc; p++) pa[idx + p * MR + ii] = a[src + p];
                }
                for (int ii = h; ii < MR; ii++) for (int p = 0; p < kc; p++) pa[idx + p * MR + ii] = 0f;
                idx += kc * MR;
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = off + p * acs + i0 * ars;
                    for (int ii = 0; ii < h; ii++) pa[idx + ii] = a[src + ii * ars];
                    for (int ii = h; ii < MR; ii++) pa[idx + ii] = 0f;
                    idx += MR;
                }
            }
        }
    }

    private static void macro(float[] pa, float[] pb, float[] c, int cOff, int ldc, int mc, int nc, int kc, float[] tile) {
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int w = Math.min(NR, nc - j0);
            int bIdx = (j0 / NR) * kc * NR;
            for (int i0 = 0; i0 < mc; i0 += MR) {
                int h = Math.min(MR, mc - i0);
                kernel(pa, (i0 / MR) * kc * MR, pb, bIdx, kc, tile);
                int ci = cOff + i0 * ldc + j0;
                if (h == MR && w == NR) addTile(tile, c, ci, ldc);
                else addPartialTile(tile, c, ci, ldc, h, w);
            }
        }
    }

    /**
     * The 6 × (2 vectors) register tile: tile[6, NR] = Σ_p pa[p, 0..6] ⊗ pb[p, 0..NR). It writes a scratch tile
     * rather than updating C in place: that keeps the method under C2's inlining node budget, so every vector
     * operation is intrinsified (past the budget the last ones fall back to allocating Java code).
     */
    private static void kernel(float[] pa, int ai, float[] pb, int bi, int kc, float[] tile) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, pb, bi);
            FloatVector b1 = FloatVector.fromArray(F, pb, bi + L);
            FloatVector a0 = FloatVector.broadcast(F, pa[ai]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, pa[ai + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, pa[ai + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, pa[ai + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, pa[ai + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F, pa[ai + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L);
    }

    private static void addTile(float[] tile, float[] c, int ci, int ldc) {
        for (int r = 0; r < MR; r++, ci += ldc) {
            for (int v = 0; v < NR; v += L)
                FloatVector.fromArray(F, tile, r * NR + v).add(FloatVector.fromArray(F, c, ci + v)).intoArray(c, ci + v);
        }
    }

    private static void addPartialTile(float[] tile, float[] c, int ci, int ldc, int h, int w) {
        for (int r = 0; r < h; r++, ci += ldc)
            for (int j = 0; j < w; j++) c[ci + j] += tile[r * NR + j];
    }
}
