package vireo.sparse;

import org.junit.jupiter.api.Test;
import vireo.tensor.Tensor;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SparseConvTest {
    static final int B = 2, DA = 7, DZ = 9, DL = 5;

    /** Random active sites (≈40 %) with random features, on the grid, as dense arrays and as a sparse tensor. */
    record Sample(float[][][] dense, SparseTensor sparse) {}

    static Sample sample(long seed, int c, boolean hashed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][][] dense = new float[B][DA * DZ * DL][];
        int n = 0;
        for (float[][] vol : dense)
            for (int i = 0; i < vol.length; i++)
                if (rng.nextDouble() < 0.4) {
                    vol[i] = new float[c];
                    for (int j = 0; j < c; j++) vol[i][j] = (float) rng.nextGaussian();
                    n++;
                }
        int[] coords = new int[4 * n];
        float[] f = new float[n * c];
        int r = 0;
        // rows in a shuffled order, so nothing relies on row order matching grid order
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        for (int i = n - 1; i > 0; i--) { int j = rng.nextInt(i + 1); int t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
        for (int b = 0; b < B; b++)
            for (int i = 0; i < DA * DZ * DL; i++) {
                if (dense[b][i] == null) continue;
                int row = perm[r++];
                coords[4 * row] = b; coords[4 * row + 1] = i / (DZ * DL); coords[4 * row + 2] = i / DL % DZ; coords[4 * row + 3] = i % DL;
                System.arraycopy(dense[b][i], 0, f, row * c, c);
            }
        Tensor ft = Tensor.of(f, n, c);
        return new Sample(dense, hashed ? SparseTensor.of(coords, ft) : SparseTensor.onGrid(coords, ft, B, DA, DZ, DL));
    }

    static Tensor randomWeight(long seed, int... shape) { return Tensor.randn(new SplittableRandom(seed), 0.5f, shape); }

    /** Dense reference written straight from the definition: y[u] = Σ_{i0,i1,i2} W[i0+3i1+9i2]ᵀ x[u + (i−1)·d]. */
    static float[] denseReference(Sample s, Tensor w, int dilation, int cin, int cout) {
        SparseTensor x = s.sparse();
        float[] y = new float[x.n * cout];
        for (int r = 0; r < x.n; r++) {
            int b = x.coords[4 * r], a = x.coords[4 * r + 1], z = x.coords[4 * r + 2], l = x.coords[4 * r + 3];
            for (int i2 = 0; i2 < 3; i2++) for (int i1 = 0; i1 < 3; i1++) for (int i0 = 0; i0 < 3; i0++) {
                int na = a + (i0 - 1) * dilation, nz = z + (i1 - 1) * dilation, nl = l + (i2 - 1) * dilation;
                if (na < 0 || na >= DA || nz < 0 || nz >= DZ || nl < 0 || nl >= DL) continue;
                float[] v = s.dense()[b][(na * DZ + nz) * DL + nl];
                if (v == null) continue;
                int k = i0 + 3 * i1 + 9 * i2;
                for (int o = 0; o < cout; o++)
                    for (int c = 0; c < cin; c++) y[r * cout + o] += w.data[(k * cin + c) * cout + o] * v[c];
            }
        }
        return y;
    }

    @Test
    void forwardMatchesDenseReferenceRestrictedToActiveSites() {
        for (boolean hashed : new boolean[]{false, true})
            for (int d : new int[]{1, 2, 4}) {
                Sample s = sample(11 + d, 3, hashed);
                Tensor w = randomWeight(5 + d, 27, 3, 2);
                float[] got = SparseConv.conv3(s.sparse(), w, d).features.data;
                float[] want = denseReference(s, w, d, 3, 2);
                assertArrayEquals(want, got, 1e-4f, "dilation " + d + (hashed ? " (hash)" : " (grid)"));
            }
    }

    @Test
    void offsetOrderIsFirstAxisFastest() {
        assertArrayEquals(new int[]{-2, -2, -2}, KernelMap.offset(0, 2));
        assertArrayEquals(new int[]{1, 0, 0}, KernelMap.offset(14, 1)); // i0 = 2, i1 = 1, i2 = 1
        assertArrayEquals(new int[]{0, 0, 4}, KernelMap.offset(22, 4)); // i0 = 1, i1 = 1, i2 = 2
    }

    @Test
    void kernelMapsAreCachedPerDilationAndCentreOffsetIsIdentity() {
        SparseTensor x = sample(3, 1, false).sparse();
        KernelMap m2 = x.kernelMap(2);
        assertSame(m2, x.withFeatures(Tensor.zeros(x.n, 4)).kernelMap(2));
        assertNotSame(m2, x.kernelMap(4));
        assertEquals(x.n, m2.in[13].length);
        for (int j = 0; j < x.n; j++) assertEquals(m2.in[13][j], m2.out[13][j]);
    }

    @Test
    void hashAndGridIndexAgree() {
        Sample s = sample(21, 1, false);
        SparseTensor g = s.sparse();
        CoordinateHash h = new CoordinateHash(g.coords, g.n);
        for (int b = -1; b <= B; b++) for (int a = -1; a <= DA; a++) for (int z = -1; z <= DZ; z++) for (int l = -1; l <= DL; l++)
            assertEquals(g.index().find(b, a, z, l), h.find(b, a, z, l));
    }

    /** loss = Σ y ⊙ R, so dL/dy = R; a private scalar op to drive backward(). */
    static Tensor weightedSum(Tensor y, float[] r) {
        double s = 0;
        for (int i = 0; i < r.length; i++) s += y.data[i] * r[i];
        Tensor out = Tensor.scalar((float) s);
        return Tensor.record(out, "weighted_sum", () -> {
            float[] g = new float[r.length];
            for (int i = 0; i < r.length; i++) g[i] = r[i] * out.grad[0];
            y.accumulate(g);
        }, y);
    }

    static double lossOf(SparseTensor x, Tensor w3, Tensor w1, float[] r) {
        SparseTensor h = SparseConv.conv3(x, w3, 2);
        h = SparseConv.conv3(h, w3Second(w3), 1);
        h = SparseConv.conv1(h, w1);
        return weightedSum(h.features, r).item();
    }

    // a second 3x3x3 layer reusing w3's values scaled (keeps the parameter count small, still a two-layer chain)
    static Tensor w3Second(Tensor w3) { return w3.reshape(w3.shape); }

    @Test
    void gradientsMatchFiniteDifferences() {
        Sample s = sample(31, 2, false);
        SparseTensor x0 = s.sparse();
        Tensor feats = Tensor.of(x0.features.data.clone(), x0.features.shape).requiresGrad(true);
        SparseTensor x = x0.withFeatures(feats);
        Tensor w3 = randomWeight(8, 27, 2, 2).requiresGrad(true);
        Tensor w1 = randomWeight(9, 2, 3).requiresGrad(true);
        float[] r = Tensor.randn(new SplittableRandom(10), 1f, x.n * 3).data;

        SparseTensor h = SparseConv.conv3(x, w3, 2);
        h = SparseConv.conv3(h, w3.reshape(w3.shape), 1);
        h = SparseConv.conv1(h, w1);
        weightedSum(h.features, r).backward();

        SplittableRandom pick = new SplittableRandom(12);
        for (Tensor p : new Tensor[]{feats, w3, w1}) {
            for (int t = 0; t < 12; t++) {
                int i = pick.nextInt(p.data.length);
                float keep = p.data[i];
                double eps = 1e-2;
                p.data[i] = (float) (keep + eps);
                double up = Tensor.noGrad(() -> lossOf(x, w3, w1, r));
                p.data[i] = (float) (keep - eps);
                double down = Tensor.noGrad(() -> lossOf(x, w3, w1, r));
                p.data[i] = keep;
                double fd = (up - down) / (2 * eps);
                assertEquals(fd, p.grad[i], 2e-2 * Math.max(1, Math.abs(fd)), "param " + p + " index " + i);
            }
        }
    }
}
