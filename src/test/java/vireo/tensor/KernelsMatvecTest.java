package vireo.tensor;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * matvec (float[] and TensorView f32 / bf16 / f16) and dot against the definition in double precision, the stored
 * weights decoded element by element with the JDK's own conversions (Float.float16ToFloat; bf16 as the top half
 * of an f32), over shapes with vector tails and tiny sizes; multi-threaded results equal single-threaded ones
 * within float rounding.
 */
class KernelsMatvecTest {

    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /** Weights stored as dtype in a heap segment, plus the float values the kernel must see. */
    record Stored(TensorView view, float[] decoded) {}

    static Stored store(DType dt, int n, int k, Random r) {
        MemorySegment seg = MemorySegment.ofArray(new byte[n * k * dt.bytes]);
        float[] dec = new float[n * k];
        for (int i = 0; i < n * k; i++) {
            float v = (float) r.nextGaussian();
            switch (dt) {
                case F32 -> { seg.set(TensorView.F32, i * 4L, v); dec[i] = v; }
                case BF16 -> {
                    short b = (short) (Float.floatToRawIntBits(v) >>> 16);
                    seg.set(TensorView.I16, i * 2L, b);
                    dec[i] = Float.intBitsToFloat((b & 0xffff) << 16);
                }
                case F16 -> {
                    short h = Float.floatToFloat16(v * (i % 7 == 0 ? 1e-5f : 1f)); // some subnormal halves
                    seg.set(TensorView.I16, i * 2L, h);
                    dec[i] = Float.float16ToFloat(h);
                }
                default -> throw new IllegalArgumentException();
            }
        }
        return new Stored(new TensorView(dt, new int[]{n, k}, seg), dec);
    }

    static void check(float[] w, float[] x, int xOff, float[] out, int outOff, int n, int k) {
        for (int j = 0; j < n; j++) {
            double s = 0, abs = 0;
            for (int p = 0; p < k; p++) {
                s += (double) w[j * k + p] * x[xOff + p];
                abs += Math.abs((double) w[j * k + p] * x[xOff + p]);
            }
            assertEquals(s, out[outOff + j], 1e-6 * abs + 1e-30, "row " + j + " of " + n + "x" + k);
        }
    }

    @Property(tries = 60, seed = "7")
    void viewMatvecMatchesDecodedReference(@ForAll @IntRange(min = 1, max = 80) int n, @ForAll @IntRange(min = 1, max = 300) int k,
                                           @ForAll @IntRange(min = 0, max = 2) int dtIndex, @ForAll @IntRange(min = 0, max = 5) int off) {
        DType dt = new DType[]{DType.F32, DType.BF16, DType.F16}[dtIndex];
        Random r = new Random(31L * n + k + 1000L * dtIndex);
        Stored w = store(dt, n, k, r);
        float[] x = random(r, off + k), out = new float[off + n + 3];
        Kernels.matvec(w.view(), x, off, out, off);
        check(w.decoded(), x, off, out, off, n, k);
        assertEquals(0f, out[off + n], "bytes past the output stay untouched");
    }

    @Property(tries = 60, seed = "8")
    void floatMatvecAndDotMatchReference(@ForAll @IntRange(min = 1, max = 80) int n, @ForAll @IntRange(min = 1, max = 300) int k,
                                         @ForAll @IntRange(min = 0, max = 5) int off) {
        Random r = new Random(17L * n + k);
        float[] w = random(r, n * k), wOff = new float[off + n * k], x = random(r, off + k), out = new float[off + n];
        System.arraycopy(w, 0, wOff, off, n * k);
        Kernels.matvec(wOff, off, x, off, out, off, n, k);
        check(w, x, off, out, off, n, k);
        double s = 0, abs = 0;
        for (int p = 0; p < k; p++) { s += (double) w[p] * x[off + p]; abs += Math.abs((double) w[p] * x[off + p]); }
        assertEquals(s, Kernels.dot(wOff, off, x, off, k), 1e-6 * abs + 1e-30);
    }

    @Test
    void f16SpecialValuesDecodeExactly() {
        short[] hs = {0, (short) 0x8000, 1, (short) 0x8001, 0x03ff, 0x0400, 0x3c00, (short) 0xbc00, 0x7bff,
                0x7c00, (short) 0xfc00, 0x7e00, 0x7c01, 0x3555, 0x0200, 0x1234};
        int k = hs.length;
        MemorySegment seg = MemorySegment.ofArray(new byte[k * k * 2]);
        for (int j = 0; j < k; j++) seg.set(TensorView.I16, (j * k + j) * 2L, hs[j]); // diagonal: out[j] = h_j · 1
        float[] x = new float[k], out = new float[k];
        java.util.Arrays.fill(x, 1f);
        Kernels.matvec(new TensorView(DType.F16, new int[]{k, k}, seg), x, 0, out, 0);
        for (int j = 0; j < k; j++) {
            float want = Float.float16ToFloat(hs[j]) + 0f; // the zeros off the diagonal add +0: -0 becomes +0
            if (Float.isNaN(want)) assertEquals(Float.NaN, out[j]);
            else assertEquals(want, out[j], 0f, "half 0x" + Integer.toHexString(hs[j] & 0xffff));
        }
    }

    @Test
    void multiThreadedEqualsSingleThreaded() {
        int before = Parallel.threads();
        Random r = new Random(3);
        int n = 1100, k = 1030; // above the hand-off threshold, with vector tails
        for (DType dt : new DType[]{DType.F32, DType.BF16, DType.F16}) {
            Stored w = store(dt, n, k, r);
            float[] x = random(r, k), one = new float[n], two = new float[n], flat = new float[n];
            try {
                Parallel.setThreads(1);
                Kernels.matvec(w.view(), x, 0, one, 0);
                Kernels.matvec(w.decoded(), 0, x, 0, flat, 0, n, k);
                Parallel.setThreads(2);
                Kernels.matvec(w.view(), x, 0, two, 0);
            } finally {
                Parallel.setThreads(before);
            }
            // same row kernel either way; only the JIT tier (interpreted vs compiled lane reduction order) may differ
            for (int j = 0; j < n; j++) assertEquals(one[j], two[j], 1e-5f * (1 + Math.abs(one[j])), dt + " row " + j);
            check(w.decoded(), x, 0, one, 0, n, k);
            check(w.decoded(), x, 0, flat, 0, n, k);
        }
    }
}
