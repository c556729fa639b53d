package vireo.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The batched projection over f32 / bf16 / f16 views (panels converted on the fly) against the definition in double. */
class KernelsViewMatmulTest {
    @Test
    void matchesDecodedReferenceForEveryDtypeAndRaggedShapes() {
        java.util.Random rnd = new java.util.Random(3);
        int[][] shapes = {{1, 9, 13}, {2, 300, 77}, {7, 1000, 96}, {37, 130, 257}, {100, 24, 64}};
        for (DType dt : new DType[]{DType.F32, DType.BF16, DType.F16}) {
            for (int[] s : shapes) {
                int m = s[0], n = s[1], k = s[2];
                var w = KernelsMatvecTest.store(dt, n, k, rnd);
                float[] a = new float[m * k], c = new float[m * n];
                for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
                Kernels.matmulNT(a, m, w.view(), c);
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) {
                        double ref = 0, mag = 0;
                        for (int p = 0; p < k; p++) { ref += (double) a[i * k + p] * w.decoded()[j * k + p]; mag += Math.abs(a[i * k + p] * w.decoded()[j * k + p]); }
                        assertEquals(ref, c[i * n + j], 1e-5 * mag + 1e-6, dt + " " + m + "x" + n + "x" + k + " at " + i + "," + j);
                    }
            }
        }
    }
}
