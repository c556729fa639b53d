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
import org.openjdk.jmh.annotations.TearDown;
import vireo.tensor.DType;
import vireo.tensor.Kernels;
import vireo.tensor.Parallel;
import vireo.tensor.TensorView;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * out = W·x for a 4096×4096 weight held in a MemorySegment (as a memory-mapped checkpoint is), f32 and bf16, through
 * {@link Kernels#matvec(TensorView, float[], int, float[], int)}, against a naive scalar loop reading the same
 * segment. Flops per call: 2·n·k.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MatvecBench {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Param("4096")
    public int n;

    @Param("1")
    public int threads;

    Arena arena;
    TensorView wF32, wBF16;
    float[] x, out;

    @Setup(Level.Trial)
    public void setup() {
        Parallel.setThreads(threads);
        arena = Arena.ofShared();
        long count = (long) n * n;
        MemorySegment f = arena.allocate(count * 4, 64), h = arena.allocate(count * 2, 64);
        Random r = new Random(2);
        for (long i = 0; i < count; i++) {
            float v = r.nextFloat() - 0.5f;
            f.setAtIndex(F32, i, v);
            h.setAtIndex(I16, i, (short) (Float.floatToRawIntBits(v) >>> 16));
        }
        wF32 = new TensorView(DType.F32, new int[]{n, n}, f);
        wBF16 = new TensorView(DType.BF16, new int[]{n, n}, h);
        x = new float[n];
        out = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.nextFloat() - 0.5f;
    }

    @TearDown(Level.Trial)
    public void close() { arena.close(); }

    @Benchmark
    public float[] f32() {
        Kernels.matvec(wF32, x, 0, out, 0);
        return out;
    }

    @Benchmark
    public float[] bf16() {
        Kernels.matvec(wBF16, x, 0, out, 0);
        return out;
    }

    @Benchmark
    public float[] naiveF32() {
        MemorySegment s = wF32.segment();
        for (int j = 0; j < n; j++) {
            float acc = 0f;
            long row = (long) j * n;
            for (int i = 0; i < n; i++) acc += s.getAtIndex(F32, row + i) * x[i];
            out[j] = acc;
        }
        return out;
    }

    @Benchmark
    public float[] naiveBF16() {
        MemorySegment s = wBF16.segment();
        for (int j = 0; j < n; j++) {
            float acc = 0f;
            long row = (long) j * n;
            for (int i = 0; i < n; i++) acc += Float.intBitsToFloat((s.getAtIndex(I16, row + i) & 0xffff) << 16) * x[i];
            out[j] = acc;
        }
        return out;
    }
}
