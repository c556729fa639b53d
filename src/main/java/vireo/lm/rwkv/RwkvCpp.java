package vireo.lm.rwkv;

import vireo.io.InvalidFileException;
import vireo.io.TensorFile;
import vireo.tensor.DType;
import vireo.tensor.TensorView;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * rwkv.cpp's model file. Layout (all little-endian uint32): magic {@code 0x67676d66} ("ggmf"), version (100 or
 * 101), n_vocab, n_embed, n_layer, data type; then per tensor: n_dims, key length, data type, the dims in ggml
 * order (innermost first, i.e. PyTorch's shape reversed), the UTF-8 key, and the raw data.
 *
 * <p>Keys are BlinkDL's checkpoint names, but the converter reshapes some: {@code time_*} vectors are squeezed,
 * and for v5.2 {@code time_decay} is stored already as w = exp(−exp(time_decay)) with shape [H, S, 1] and
 * {@code time_faaaa} as [H, S, 1]. Data types: 0 = FP32, 1 = FP16; 2.. are ggml quantized types (not read here).
 */
public final class RwkvCpp {
    private RwkvCpp() {}

    public static final int MAGIC = 0x67676d66;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The file's tensors with PyTorch-order shapes (memory-mapped) and header facts as metadata. */
    public static TensorFile read(Path path) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment f = map(path, arena);
            if (f.byteSize() < 24 || f.get(U32, 0) != MAGIC)
                throw new InvalidFileException(path, "not an rwkv.cpp model file (magic 'ggmf' missing)");
            int version = f.get(U32, 4);
            if (version < 100 || version > 101) throw new InvalidFileException(path, "unsupported rwkv.cpp file version " + version);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("version", Integer.toString(version));
            meta.put("n_vocab", Integer.toString(f.get(U32, 8)));
            meta.put("n_embed", Integer.toString(f.get(U32, 12)));
            meta.put("n_layer", Integer.toString(f.get(U32, 16)));
            meta.put("data_type", typeName(f.get(U32, 20)));
            LinkedHashMap<String, TensorView> tensors = new LinkedHashMap<>();
            long o = 24;
            while (o < f.byteSize()) {
                if (o + 12 > f.byteSize()) throw new InvalidFileException(path, "truncated tensor header at byte " + o);
                int nDims = f.get(U32, o), keyLen = f.get(U32, o + 4), type = f.get(U32, o + 8);
                o += 12;
                if (nDims < 1 || nDims > 3 || keyLen < 1 || keyLen > 1024 || o + 4L * nDims + keyLen > f.byteSize())
                    throw new InvalidFileException(path, "bad tensor header at byte " + (o - 12));
                int[] shape = new int[nDims];
                for (int d = 0; d < nDims; d++) shape[nDims - 1 - d] = f.get(U32, o + 4L * d);
                o += 4L * nDims;
                String key = new String(f.asSlice(o, keyLen).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                o += keyLen;
                DType dt = switch (type) {
                    case 0 -> DType.F32;
                    case 1 -> DType.F16;
                    default -> throw new InvalidFileException(path, "tensor '" + key + "' has quantized type "
                            + typeName(type) + "; only FP32 and FP16 rwkv.cpp files are supported");
                };
                long bytes = TensorView.numel(shape) * dt.bytes;
                if (o + bytes > f.byteSize()) throw new InvalidFileException(path, "tensor '" + key + "' is truncated");
                tensors.put(key, new TensorView(dt, shape, f.asSlice(o, bytes)));
                o += bytes;
            }
            return new TensorFile(path, "rwkv.cpp", tensors, meta, arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Loads an rwkv.cpp file as a runnable model. The ln_x GroupNorm epsilon is rwkv.cpp's 1e-5 (see
     * {@link Rwkv5.Config#groupNormEps}); that is what reproduces rwkv.cpp's own expected logits.
     */
    public static Rwkv5 load(Path path) {
        TensorFile file = read(path);
        try {
            return Rwkv5.of(file, Rwkv5.Naming.RWKV_CPP, Rwkv5.RWKV_CPP_GROUP_NORM_EPS);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static MemorySegment map(Path path, Arena arena) {
        try (var ch = java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.READ)) {
            return ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidFileException(path, "no such file");
        } catch (java.io.IOException e) {
            throw new InvalidFileException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    /** True when the file starts with rwkv.cpp's magic. */
    public static boolean looksLike(Path path) {
        vireo.io.InputFile.requireRegular(path);
        try (var in = java.nio.file.Files.newInputStream(path)) {
            byte[] h = in.readNBytes(4);
            return h.length == 4 && (h[0] & 0xff | (h[1] & 0xff) << 8 | (h[2] & 0xff) << 16 | (h[3] & 0xff) << 24) == MAGIC;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static String typeName(int type) {
        return switch (type) {
            case 0 -> "FP32"; case 1 -> "FP16"; case 2 -> "Q4_0"; case 3 -> "Q4_1"; case 4 -> "Q4_1_O";
            case 5 -> "Q4_2"; case 6 -> "Q4_3"; case 7 -> "Q5_0"; case 8 -> "Q5_1"; case 9 -> "Q8_0";
            default -> "type " + type;
        };
    }
}
