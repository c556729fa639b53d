package vireo.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A typed, shaped, C-ordered (row-major, contiguous) view over bytes: a slice of a memory-mapped file or a heap
 * segment. Nothing is copied until {@link #toTensor()} or {@link #toFloatArray()} is called, so a 7B model's
 * weights stay in the page cache. Little-endian, as every format Vireo reads stores them.
 */
public record TensorView(DType dtype, int[] shape, MemorySegment segment) {

    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public TensorView {
        shape = shape.clone();
        long need = numel(shape) * dtype.bytes;
        if (segment.byteSize() != need)
            throw new IllegalArgumentException("view of " + Arrays.toString(shape) + " " + dtype + " needs " + need
                    + " bytes, segment has " + segment.byteSize());
    }

    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) n = Math.multiplyExact(n, (long) d);
        return n;
    }

    public long numel() { return numel(shape); }

    public int rank() { return shape.length; }

    /** Element i (flat, C order) converted to float. */
    public float getFloat(long i) {
        return switch (dtype) {
            case F32 -> segment.get(F32, i * 4);
            case F16 -> Float.float16ToFloat(segment.get(I16, i * 2));
            case BF16 -> Float.intBitsToFloat((segment.get(I16, i * 2) & 0xffff) << 16);
            case F64 -> (float) segment.get(F64, i * 8);
            case I64 -> segment.get(I64, i * 8);
            case I32 -> segment.get(I32, i * 4);
            case I16 -> segment.get(I16, i * 2);
            case U16 -> segment.get(I16, i * 2) & 0xffff;
            case I8 -> segment.get(ValueLayout.JAVA_BYTE, i);
            case U8, BOOL -> segment.get(ValueLayout.JAVA_BYTE, i) & 0xff;
        };
    }

    /** Element i as a long (exact for integer types). */
    public long getLong(long i) {
        return switch (dtype) {
            case I64 -> segment.get(I64, i * 8);
            case I32 -> segment.get(I32, i * 4);
            case I16 -> segment.get(I16, i * 2);
            case U16 -> segment.get(I16, i * 2) & 0xffff;
            case I8 -> segment.get(ValueLayout.JAVA_BYTE, i);
            case U8, BOOL -> segment.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            default -> (long) getFloat(i);
        };
    }

    /** Copies (and converts) every element to a new float array. */
    public float[] toFloatArray() {
        long n = numel();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalStateException("tensor too large for one float array: " + n);
        float[] out = new float[(int) n];
        if (dtype == DType.F32) {
            MemorySegment.copy(segment, F32, 0, out, 0, out.length);
        } else {
            for (int i = 0; i < out.length; i++) out[i] = getFloat(i);
        }
        return out;
    }

    /** A float32 heap tensor with the same shape (a copy). */
    public Tensor toTensor() { return Tensor.of(toFloatArray(), shape); }

    /** Copies row {@code r} of a 2-D view into {@code out} as float32 (an embedding lookup), allocating nothing. */
    public void readRow(int r, float[] out) {
        int c = shape[1];
        if (dtype == DType.F32) {
            MemorySegment.copy(segment, F32, (long) r * c * 4, out, 0, c);
        } else {
            long base = (long) r * c;
            for (int j = 0; j < c; j++) out[j] = getFloat(base + j);
        }
    }

    /** The sub-view of row {@code r} along the first axis (no copy). */
    public TensorView row(int r) {
        int[] sub = Arrays.copyOfRange(shape, 1, shape.length);
        long bytes = numel(sub) * dtype.bytes;
        return new TensorView(dtype, sub, segment.asSlice(r * bytes, bytes));
    }

    /** Same bytes seen with another shape of equal element count. */
    public TensorView reshape(int... newShape) { return new TensorView(dtype, newShape, segment); }

    /** A heap-backed float32 view of {@code data}. */
    public static TensorView ofFloats(float[] data, int... shape) {
        MemorySegment seg = MemorySegment.ofArray(new byte[data.length * 4]);
        MemorySegment.copy(data, 0, seg, F32, 0, data.length);
        return new TensorView(DType.F32, shape, seg);
    }

    /** A heap-backed int64 view of {@code data} (indices and positions, exact beyond float32's 2^24). */
    public static TensorView ofLongs(long[] data, int... shape) {
        MemorySegment seg = MemorySegment.ofArray(new byte[data.length * 8]);
        MemorySegment.copy(data, 0, seg, I64, 0, data.length);
        return new TensorView(DType.I64, shape, seg);
    }

    @Override
    public String toString() { return dtype + Arrays.toString(shape); }
}
