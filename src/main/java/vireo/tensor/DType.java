package vireo.tensor;

/** Element types Vireo reads and writes. Compute is always float32; the others are storage types. */
public enum DType {
    F32(4), F16(2), BF16(2), F64(8), I64(8), I32(4), I16(2), U16(2), I8(1), U8(1), BOOL(1);

    public final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    public boolean isFloat() { return this == F32 || this == F16 || this == BF16 || this == F64; }
}
