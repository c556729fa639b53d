package vireo.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import vireo.tensor.DType;
import vireo.tensor.TensorView;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face safetensors: an 8-byte little-endian header length N, N bytes of JSON
 * ({@code name -> {dtype, shape, data_offsets:[begin,end]}} plus an optional {@code __metadata__} string map), then
 * the raw little-endian tensor bytes, offsets relative to the end of the header.
 *
 * <p>{@link #read} maps the file and returns views into the map (no copy). {@link #readSharded} opens a sharded
 * checkpoint ({@code model.safetensors.index.json} with a {@code weight_map}) as one {@link TensorFile} whose
 * arena owns the maps of all shards.
 */
public final class SafeTensors {
    private SafeTensors() {}

    /** Largest header we accept (the reference implementation caps it at 100 MB too). */
    static final long MAX_HEADER = 100L << 20;
    static final String INDEX_NAME = "model.safetensors.index.json";

    static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Opens a .safetensors file; the views are valid until the returned file is closed. */
    public static TensorFile read(Path path) {
        Arena arena = Arena.ofShared();
        try {
            var tensors = new LinkedHashMap<String, TensorView>();
            var metadata = new LinkedHashMap<String, String>();
            readInto(path, arena, tensors, metadata);
            return new TensorFile(path, "safetensors", tensors, metadata, arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Name of a safetensors dtype, or null when Vireo has no such type. */
    static DType dtypeOf(String name) {
        return switch (name) {
            case "F32" -> DType.F32; case "F16" -> DType.F16; case "BF16" -> DType.BF16; case "F64" -> DType.F64;
            case "I64" -> DType.I64; case "I32" -> DType.I32; case "I16" -> DType.I16; case "U16" -> DType.U16;
            case "I8" -> DType.I8; case "U8" -> DType.U8; case "BOOL" -> DType.BOOL;
            default -> null;
        };
    }

    static String nameOf(DType t) { return t.name(); }

    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {}

    /** Parses and validates {@code path}, adding its tensors (in data order) and metadata to the maps. */
    static void readInto(Path path, Arena arena, Map<String, TensorView> tensors, Map<String, String> metadata) {
        MemorySegment file = Mapped.map(path, arena);
        long size = file.byteSize();
        if (size < 8) throw new InvalidFileException(path, "not a safetensors file: " + size + " bytes, too short for the header length");
        long n = file.get(Mapped.I64, 0);
        if (n < 2 || n > MAX_HEADER || n > size - 8)
            throw new InvalidFileException(path, "not a safetensors file: header length " + Long.toUnsignedString(n)
                    + " does not fit a " + size + "-byte file");
        byte[] headerBytes = file.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        if (headerBytes[0] != '{') throw new InvalidFileException(path, "not a safetensors file: header does not start with '{'");
        JsonNode header;
        try {
            header = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new InvalidFileException(path, "safetensors header is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(header instanceof ObjectNode obj)) throw new InvalidFileException(path, "safetensors header is not a JSON object");
        long dataStart = 8 + n, dataLen = size - dataStart;
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            var f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (name.equals("__metadata__")) {
                if (!v.isObject()) throw new InvalidFileException(path, "__metadata__ is not a JSON object");
                for (var m = v.fields(); m.hasNext(); ) {
                    var e = m.next();
                    if (!e.getValue().isTextual())
                        throw new InvalidFileException(path, "__metadata__ value of '" + e.getKey() + "' is not a string");
                    metadata.put(e.getKey(), e.getValue().asText());
                }
                continue;
            }
            entries.add(entry(path, name, v, dataLen));
        }
        // Tensors may not share bytes: a header that overlaps two tensors is lying about at least one of them.
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long lastEnd = 0;
        String lastName = null;
        for (Entry e : entries) {
            if (e.begin < lastEnd)
                throw new InvalidFileException(path, "tensors '" + lastName + "' and '" + e.name + "' overlap in the data section");
            if (e.end > e.begin) { lastEnd = e.end; lastName = e.name; }
        }
        for (Entry e : entries) {
            if (tensors.containsKey(e.name)) throw new InvalidFileException(path, "tensor '" + e.name + "' appears twice");
            tensors.put(e.name, new TensorView(e.dtype, e.shape, file.asSlice(dataStart + e.begin, e.end - e.begin)));
        }
    }

    private static Entry entry(Path path, String name, JsonNode v, long dataLen) {
        String where = "tensor '" + name + "': ";
        if (!v.isObject()) throw new InvalidFileException(path, where + "header entry is not an object");
        JsonNode dt = v.get("dtype"), sh = v.get("shape"), off = v.get("data_offsets");
        if (dt == null || !dt.isTextual()) throw new InvalidFileException(path, where + "missing dtype");
        DType dtype = dtypeOf(dt.asText());
        if (dtype == null) throw new InvalidFileException(path, where + "unsupported dtype " + dt.asText());
        if (sh == null || !sh.isArray()) throw new InvalidFileException(path, where + "missing shape");
        int[] shape = new int[sh.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.asInt() < 0)
                throw new InvalidFileException(path, where + "bad shape " + sh);
            shape[i] = d.asInt();
        }
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).isIntegralNumber() || !off.get(1).isIntegralNumber()
                || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong())
            throw new InvalidFileException(path, where + "missing or bad data_offsets");
        long begin = off.get(0).asLong(), end = off.get(1).asLong();
        if (begin < 0 || end < begin || end > dataLen)
            throw new InvalidFileException(path, where + "data_offsets [" + begin + ", " + end + "] outside the "
                    + dataLen + "-byte data section (truncated file?)");
        long need;
        try {
            need = Math.multiplyExact(TensorView.numel(shape), (long) dtype.bytes);
        } catch (ArithmeticException e) {
            throw new InvalidFileException(path, where + "shape " + sh + " is too large");
        }
        if (end - begin != need)
            throw new InvalidFileException(path, where + "shape " + sh + " of " + dtype + " needs " + need
                    + " bytes but data_offsets span " + (end - begin));
        return new Entry(name, dtype, shape, begin, end);
    }

    /**
     * Writes tensors (in map order) and string metadata to {@code path} atomically: a temporary file beside it is
     * renamed over it when complete. The header is padded with spaces to a multiple of 8 bytes, as the reference
     * writer does, so the data section starts aligned.
     */
    public static void write(Path path, Map<String, TensorView> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("a tensor may not be called __metadata__");
            TensorView t = e.getValue();
            ObjectNode o = header.putObject(e.getKey());
            o.put("dtype", nameOf(t.dtype()));
            var shape = o.putArray("shape");
            for (int d : t.shape()) shape.add(d);
            long len = t.segment().byteSize();
            o.putArray("data_offsets").add(offset).add(offset + len);
            offset += len;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] head = new byte[8 + padded];
        ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(json, 0, head, 8, json.length);
        for (int i = 8 + json.length; i < head.length; i++) head[i] = ' ';
        Mapped.writeAtomically(path, ch -> {
            Mapped.write(ch, head);
            for (TensorView t : tensors.values()) Mapped.write(ch, t.segment());
        });
    }

    /**
     * Opens a sharded checkpoint as one {@link TensorFile}: {@code dirOrIndex} is either the
     * {@code model.safetensors.index.json} file or the folder holding it (a folder with a single
     * {@code model.safetensors} and no index works too). Tensors come in {@code weight_map} order; metadata is the
     * index's {@code metadata} (as strings) merged with each shard's {@code __metadata__}. Closing the result unmaps
     * every shard.
     */
    public static TensorFile readSharded(Path dirOrIndex) {
        Path index = dirOrIndex;
        if (Files.isDirectory(dirOrIndex)) {
            index = dirOrIndex.resolve(INDEX_NAME);
            if (!Files.exists(index)) {
                Path single = dirOrIndex.resolve("model.safetensors");
                if (Files.exists(single)) return read(single);
                throw new InvalidFileException(dirOrIndex, "folder has neither " + INDEX_NAME + " nor model.safetensors");
            }
        }
        JsonNode root;
        try {
            if (!Files.exists(index)) throw new InvalidFileException(index, "no such file");
            if (Files.size(index) > MAX_HEADER) throw new InvalidFileException(index, "index file is implausibly large");
            root = JSON.readTree(InputFile.readAllBytes(index));
        } catch (JsonProcessingException e) {
            throw new InvalidFileException(index, "not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidFileException(index, "cannot read: " + e.getMessage(), e);
        }
        JsonNode weightMap = root == null ? null : root.get("weight_map");
        if (weightMap == null || !weightMap.isObject())
            throw new InvalidFileException(index, "not a sharded-checkpoint index: no weight_map object");
        Path dir = index.toAbsolutePath().normalize().getParent();
        var metadata = new LinkedHashMap<String, String>();
        JsonNode meta = root.get("metadata");
        if (meta != null && meta.isObject())
            meta.fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        Arena arena = Arena.ofShared();
        try {
            Map<String, Map<String, TensorView>> shards = new HashMap<>();
            var tensors = new LinkedHashMap<String, TensorView>();
            for (var it = weightMap.fields(); it.hasNext(); ) {
                var e = it.next();
                String shardName = e.getValue().asText();
                Path shard = dir.resolve(shardName).normalize();
                if (!e.getValue().isTextual() || !dir.equals(shard.getParent()))
                    throw new InvalidFileException(index, "weight_map entry '" + e.getKey() + "' names a shard outside the folder: " + e.getValue());
                Map<String, TensorView> shardTensors = shards.computeIfAbsent(shardName, s -> {
                    var m = new LinkedHashMap<String, TensorView>();
                    readInto(shard, arena, m, metadata);
                    return m;
                });
                TensorView v = shardTensors.get(e.getKey());
                if (v == null) throw new InvalidFileException(shard, "no tensor named '" + e.getKey() + "' (listed in " + index.getFileName() + ")");
                tensors.put(e.getKey(), v);
            }
            return new TensorFile(index, "safetensors-sharded", tensors, metadata, arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }
}
