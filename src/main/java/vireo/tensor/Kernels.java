package vireo.tensor;

/**
 * The hot loops every model shares. Matrices are row-major float arrays addressed by an offset; weights use
 * PyTorch's [out, in] layout, so {@code y = x·Wᵀ} is {@link #matmulNT}.
 */
public final class Kernels {
    private Kernels() {}

    /** C[m,n] = A[m,k] · W[n,k]ᵀ  (+ C if accumulate). */
    public static void matmulNT(float[] a, int aOff, float[] w, int wOff, float[] c, int cOff, int m, int n, int k, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = dot(a, aOff + i * k, w, wOff + j * k, k);
                int ci = cOff + i * n + j;
                c[ci] = accumulate ? c[ci] + s : s;
            }
        }
    }

    /** C[m,n] = A[m,k] · B[k,n]  (+ C if accumulate). */
    public static void matmulNN(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int n, int k, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * n;
            if (!accumulate) java.util.Arrays.fill(c, ci, ci + n, 0f);
            for (int p = 0; p < k; p++) {
                float av = a[aOff + i * k + p];
                int bi = bOff + p * n;
                for (int j = 0; j < n; j++) c[ci + j] += av * b[bi + j];
            }
        }
    }

    /** C[m,n] = A[k,m]ᵀ · B[k,n]  (+ C if accumulate); the weight-gradient product. */
    public static void matmulTN(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int n, int k, boolean accumulate) {
        if (!accumulate) java.util.Arrays.fill(c, cOff, cOff + m * n, 0f);
        for (int p = 0; p < k; p++) {
            for (int i = 0; i < m; i++) {
                float av = a[aOff + p * m + i];
                int ci = cOff + i * n, bi = bOff + p * n;
                for (int j = 0; j < n; j++) c[ci + j] += av * b[bi + j];
            }
        }
    }

    /** out[n] = W[n,k] · x[k] with W float32 at offset wOff. */
    public static void matvec(float[] w, int wOff, float[] x, int xOff, float[] out, int outOff, int n, int k) {
        for (int j = 0; j < n; j++) out[outOff + j] = dot(w, wOff + j * k, x, xOff, k);
    }

    /** out[n] = W[n,k] · x[k] with W a (possibly memory-mapped) f32, f16 or bf16 view of shape [n, k]. */
    public static void matvec(TensorView w, float[] x, int xOff, float[] out, int outOff) {
        int n = w.shape()[0], k = (int) (w.numel() / n);
        for (int j = 0; j < n; j++) {
            long base = (long) j * k;
            float s = 0f;
            for (int p = 0; p < k; p++) s += w.getFloat(base + p) * x[xOff + p];
            out[outOff + j] = s;
        }
    }

    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }
}
