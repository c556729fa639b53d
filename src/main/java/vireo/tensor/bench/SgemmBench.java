package vireo.tensor.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import vireo.tensor.Kernels;
import vireo.tensor.Parallel;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Square single-precision products through {@link Kernels}: NT = A·Wᵀ (linear layers), NN = A·B (conv lowering),
 * TN = Aᵀ·B (weight gradients); and a naive i-p-j triple loop (the previous Kernels code) in the same run as the
 * baseline. Flops per call: 2·n³.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SgemmBench {
    @Param("1024")
    public int n;

    @Param({"1", "2"})
    public int threads;

    @Param({"NT", "NN", "TN"})
    public String layout;

    float[] a, w, c;

    @Setup(Level.Trial)
    public void setup() {
        Parallel.setThreads(threads);
        Random r = new Random(1);
        a = new float[n * n];
        w = new float[n * n];
        c = new float[n * n];
        for (int i = 0; i < a.length; i++) { a[i] = r.nextFloat() - 0.5f; w[i] = r.nextFloat() - 0.5f; }
    }

    @Benchmark
    public float[] sgemm() {
        switch (layout) {
            case "NT" -> Kernels.matmulNT(a, 0, w, 0, c, 0, n, n, n, false);
            case "NN" -> Kernels.matmulNN(a, 0, w, 0, c, 0, n, n, n, false);
            case "TN" -> Kernels.matmulTN(a, 0, w, 0, c, 0, n, n, n, false);
            default -> throw new IllegalArgumentException("layout " + layout);
        }
        return c;
    }

    /** The baseline; single-threaded whatever {@link #threads} says (the command runs it once, at threads=1). */
    @Benchmark
    public float[] naive() {
        naiveNN(a, w, c, n);
        return c;
    }

    /** C[i,:] = Σ_p A[i,p]·B[p,:] — the loop order C2 auto-vectorises, so the baseline is not a straw man. */
    static void naiveNN(float[] a, float[] b, float[] c, int n) {
        for (int i = 0; i < n; i++) {
            int ci = i * n;
            java.util.Arrays.fill(c, ci, ci + n, 0f);
            for (int p = 0; p < n; p++) {
                float av = a[i * n + p];
                int bi = p * n;
                for (int j = 0; j < n; j++) c[ci + j] += av * b[bi + j];
            }
        }
    }
}
