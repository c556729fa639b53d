package vireo.tensor;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * matmulNT / matmulNN / matmulTN against the definition evaluated in double precision, over random shapes that hit
 * the tiny direct path, the packed path with ragged register tiles, several k blocks (k > KC) and several m blocks
 * (m > MC); with operands at offsets inside larger arrays (the bytes around C must stay untouched) and with
 * accumulate on and off. The tolerance scales with Σ|a·b|, well below the size of one missing product term.
 */
class KernelsMatmulTest {
    enum Layout { NT, NN, TN }

    /** Operands laid out as the kernel expects, at the given offsets, plus the double reference result. */
    record Problem(Layout layout, int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                   float[] c0, double[] ref, double[] absRef) {}

    static Problem problem(Layout layout, int m, int n, int k, int aOff, int bOff, int cOff, long seed) {
        Random r = new Random(seed);
        float[] a = random(r, aOff + m * k + 5), b = random(r, bOff + k * n + 5), c = random(r, cOff + m * n + 5);
        double[] ref = new double[m * n], abs = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0, t = 0;
                for (int p = 0; p < k; p++) {
                    float av = layout == Layout.TN ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    float bv = layout == Layout.NT ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    s += (double) av * bv;
                    t += Math.abs((double) av * bv);
                }
                ref[i * n + j] = s;
                abs[i * n + j] = t;
            }
        return new Problem(layout, m, n, k, a, aOff, b, bOff, c, cOff, c.clone(), ref, abs);
    }

    static float[] random(Random r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) (r.nextGaussian());
        return x;
    }

    static void run(Problem q, boolean accumulate) {
        switch (q.layout) {
            case NT -> Kernels.matmulNT(q.a, q.aOff, q.b, q.bOff, q.c, q.cOff, q.m, q.n, q.k, accumulate);
            case NN -> Kernels.matmulNN(q.a, q.aOff, q.b, q.bOff, q.c, q.cOff, q.m, q.n, q.k, accumulate);
            case TN -> Kernels.matmulTN(q.a, q.aOff, q.b, q.bOff, q.c, q.cOff, q.m, q.n, q.k, accumulate);
        }
    }

    static void check(Problem q, boolean accumulate) {
        System.arraycopy(q.c0, 0, q.c, 0, q.c.length);
        run(q, accumulate);
        for (int i = 0; i < q.cOff; i++) assertEquals(q.c0[i], q.c[i], 0f, "before C touched at " + i);
        for (int i = q.cOff + q.m * q.n; i < q.c.length; i++) assertEquals(q.c0[i], q.c[i], 0f, "after C touched at " + i);
        for (int e = 0; e < q.m * q.n; e++) {
            double want = q.ref[e] + (accumulate ? q.c0[q.cOff + e] : 0);
            double tol = 1e-5 * (q.absRef[e] + (accumulate ? Math.abs(q.c0[q.cOff + e]) : 0)) + 1e-6;
            float got = q.c[q.cOff + e];
            if (Math.abs(got - want) > tol)
                throw new AssertionError(q.layout + " " + q.m + "x" + q.n + "x" + q.k + " acc=" + accumulate + " element ("
                        + e / q.n + "," + e % q.n + "): got " + got + " want " + want + " tol " + tol);
        }
    }

    @Property(tries = 120, seed = "11")
    void matchesDefinitionOnSmallAndRaggedShapes(@ForAll Layout layout, @ForAll @IntRange(min = 1, max = 70) int m,
                                                 @ForAll @IntRange(min = 1, max = 90) int n, @ForAll @IntRange(min = 1, max = 80) int k,
                                                 @ForAll @IntRange(min = 0, max = 9) int aOff, @ForAll @IntRange(min = 0, max = 9) int bOff,
                                                 @ForAll @IntRange(min = 0, max = 9) int cOff, @ForAll boolean accumulate,
                                                 @ForAll long seed) {
        check(problem(layout, m, n, k, aOff, bOff, cOff, seed), accumulate);
    }

    @Property(tries = 24, seed = "5")
    void matchesDefinitionAcrossCacheBlocks(@ForAll Layout layout, @ForAll @IntRange(min = 140, max = 310) int m,
                                            @ForAll @IntRange(min = 1, max = 100) int n, @ForAll @IntRange(min = 250, max = 560) int k,
                                            @ForAll boolean accumulate, @ForAll long seed) {
        check(problem(layout, m, n, k, 3, 1, 2, seed), accumulate);
    }

    @Test
    void edgeShapes() {
        int[][] shapes = {{1, 1, 1}, {1, 1, 5000}, {1, 300, 1}, {300, 1, 1}, {1, 257, 300}, {257, 1, 300}, {7, 2100, 30},
                {6, 32, 256}, {12, 64, 512}, {6, 2049, 40}, {145, 33, 257}, {3, 4, 0}};
        long seed = 1;
        for (int[] s : shapes)
            for (Layout l : Layout.values())
                for (boolean acc : new boolean[]{false, true}) check(problem(l, s[0], s[1], s[2], 1, 2, 3, seed++), acc);
    }

    @Test
    void zeroDepthOverwritesOrKeeps() {
        float[] c = {5, 6, 7, 8};
        Kernels.matmulNN(new float[0], 0, new float[0], 0, c, 0, 2, 2, 0, true);
        assertArrayEquals(new float[]{5, 6, 7, 8}, c);
        Kernels.matmulNN(new float[0], 0, new float[0], 0, c, 0, 2, 2, 0, false);
        assertArrayEquals(new float[4], c);
    }

    @Test
    void threadedEqualsSingleThreadedExactly() {
        int before = Parallel.threads();
        try {
            for (Layout l : Layout.values()) {
                // All above Sgemm.PARALLEL_FLOPS: tall (shared B panel), wide (column blocks), and the few-rows/columns paths.
                for (int[] s : new int[][]{{300, 200, 150}, {20, 1400, 300}, {3, 10000, 300}, {10000, 3, 300}, {1, 8192, 1100}}) {
                    assertTrue(2L * s[0] * s[1] * s[2] >= Sgemm.PARALLEL_FLOPS);
                    Problem q = problem(l, s[0], s[1], s[2], 0, 0, 0, 42);
                    Parallel.setThreads(1);
                    run(q, false);
                    float[] one = q.c.clone();
                    Parallel.setThreads(3);
                    System.arraycopy(q.c0, 0, q.c, 0, q.c.length);
                    run(q, false);
                    // Each element is summed in the same order whatever the split, so the results are identical.
                    assertArrayEquals(one, q.c, l + " " + s[0] + "x" + s[1] + "x" + s[2]);
                    check(q, true);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
