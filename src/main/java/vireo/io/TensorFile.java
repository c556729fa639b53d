package vireo.io;

import vireo.tensor.TensorView;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named tensors read from one file (safetensors, .npy, PyTorch checkpoint, model formats), in file order,
 * with the file's string metadata. The views may point into a memory map owned by {@code arena}: they stay valid
 * until {@link #close()}.
 */
public final class TensorFile implements AutoCloseable {
    private final Path path;
    private final String format;
    private final LinkedHashMap<String, TensorView> tensors;
    private final Map<String, String> metadata;
    private final Arena arena;

    public TensorFile(Path path, String format, LinkedHashMap<String, TensorView> tensors, Map<String, String> metadata, Arena arena) {
        this.path = path;
        this.format = format;
        this.tensors = tensors;
        this.metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        this.arena = arena;
    }

    public Path path() { return path; }

    /** Short format name, e.g. "safetensors", "npy", "pytorch". */
    public String format() { return format; }

    public Map<String, TensorView> tensors() { return Collections.unmodifiableMap(tensors); }

    public Map<String, String> metadata() { return metadata; }

    public boolean has(String name) { return tensors.containsKey(name); }

    /** The tensor called {@code name}, or an {@link InvalidFileException} naming what is missing. */
    public TensorView get(String name) {
        TensorView v = tensors.get(name);
        if (v == null) throw new InvalidFileException(path, "no tensor named '" + name + "'");
        return v;
    }

    @Override
    public void close() {
        if (arena != null) arena.close();
    }

    /**
     * The configurable cap on bytes a reader may materialise beyond the file itself (inflated zip entries, gathered
     * strided tensors): {@code VIREO_MAX_TENSOR_BYTES} (or {@code -Dvireo.maxTensorBytes}), default 16 GiB.
     */
    public static long maxMaterialisedBytes() {
        String v = System.getProperty("vireo.maxTensorBytes", System.getenv("VIREO_MAX_TENSOR_BYTES"));
        if (v == null || v.isBlank()) return 16L << 30;
        try {
            long n = Long.parseLong(v.strip());
            if (n > 0) return n;
        } catch (NumberFormatException ignored) { /* fall through */ }
        throw new InvalidFileException(java.nio.file.Path.of("VIREO_MAX_TENSOR_BYTES"), "'" + v + "' is not a positive byte count");
    }
}
