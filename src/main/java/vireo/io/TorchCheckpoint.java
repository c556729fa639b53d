package vireo.io;

import vireo.tensor.TensorView;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PyTorch checkpoints as {@code torch.save} writes them since 1.6: a zip whose entries are {@code <archive>/data.pkl}
 * (a pickle of the object, tensors as persistent references to storages), {@code <archive>/data/<key>} (each
 * storage's raw little-endian bytes, stored uncompressed and 64-byte aligned), {@code byteorder} and {@code version}.
 *
 * <p>{@link #read} maps the file and unpickles with {@link Unpickler} (a closed list of opcodes and globals; no code
 * runs). Contiguous tensors are zero-copy slices of the map; strided ones (transposes, step slices, expands) are
 * copied into the file's arena in C order. Nested dicts, lists and tuples flatten to dotted names
 * ({@code model.encoder.weight}, {@code layers.0.w}); non-tensor leaves (epoch, lr, names) become string metadata.
 */
public final class TorchCheckpoint {
    private TorchCheckpoint() {}

    public static TensorFile read(Path path) {
        byte[] head = Mapped.head(path, 4);
        if (!Zip.hasSignature(head)) {
            if (head.length >= 2 && (head[0] & 0xff) == 0x80)
                throw new InvalidFileException(path, "legacy (pre-1.6, non-zip) PyTorch format is not supported; re-save it with a current torch.save");
            throw new InvalidFileException(path, "not a PyTorch checkpoint: no zip signature");
        }
        Arena arena = Arena.ofShared();
        try {
            MemorySegment file = Mapped.map(path, arena);
            Map<String, Zip.Entry> entries = Zip.entries(path, file);
            String prefix = null;
            for (String name : entries.keySet()) {
                if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                    prefix = name.substring(0, name.length() - "data.pkl".length());
                    break;
                }
            }
            if (prefix == null) throw new InvalidFileException(path, "not a PyTorch checkpoint: zip has no <archive>/data.pkl");
            Zip.Entry byteorder = entries.get(prefix + "byteorder");
            if (byteorder != null) {
                String order = new String(Zip.data(path, file, byteorder, arena).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII).trim();
                if (!order.equals("little")) throw new InvalidFileException(path, "checkpoint byte order is '" + order + "'; only little-endian is supported");
            }
            Zip.Entry pklEntry = entries.get(prefix + "data.pkl");
            MemorySegment pkl = Zip.data(path, file, pklEntry, arena);
            Zip.checkCrc(path, pklEntry, pkl);
            if (pkl.byteSize() > Integer.MAX_VALUE - 8) throw new InvalidFileException(path, "data.pkl is implausibly large");
            Object root = Unpickler.load(path, pkl.toArray(ValueLayout.JAVA_BYTE));

            var tensors = new LinkedHashMap<String, TensorView>();
            var metadata = new LinkedHashMap<String, String>();
            var storages = new Storages(path, file, entries, prefix, arena);
            flatten("", root, tensors, metadata, storages, 0);
            return new TensorFile(path, "pytorch", tensors, metadata, arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Deepest nesting of containers accepted; real checkpoints nest a handful of levels, a cycle nests forever. */
    static final int MAX_DEPTH = 100;

    private static void flatten(String name, Object o, Map<String, TensorView> tensors, Map<String, String> metadata, Storages storages, int depth) {
        // a shared (memoised) object is visited once per reference, so counting visits bounds "billion laughs"
        if (depth > MAX_DEPTH)
            throw new InvalidFileException(storages.path, "pickle nests deeper than " + MAX_DEPTH + " levels (or refers to itself) at '" + name + "'");
        if (++storages.visits > storages.maxVisits)
            throw new InvalidFileException(storages.path, "pickle expands to more than " + storages.maxVisits
                    + " objects (shared references repeated; a memo bomb?)");
        switch (o) {
            case Unpickler.TensorRef t -> {
                String n = name.isEmpty() ? "tensor" : name;
                if (tensors.containsKey(n)) throw new InvalidFileException(storages.path, "two tensors flatten to the name '" + n + "'");
                tensors.put(n, storages.view(n, t));
            }
            case Map<?, ?> m -> {
                for (var e : m.entrySet()) flatten(join(name, key(storages.path, e.getKey())), e.getValue(), tensors, metadata, storages, depth + 1);
            }
            case List<?> l -> {
                for (int i = 0; i < l.size(); i++) flatten(join(name, Integer.toString(i)), l.get(i), tensors, metadata, storages, depth + 1);
            }
            case Unpickler.Tuple t -> {
                for (int i = 0; i < t.size(); i++) flatten(join(name, Integer.toString(i)), t.get(i), tensors, metadata, storages, depth + 1);
            }
            case null -> metadata.put(name, "None");
            case Boolean b -> metadata.put(name, b ? "True" : "False");
            case byte[] b -> metadata.put(name, "<" + b.length + " bytes>");
            case Unpickler.Global g -> metadata.put(name, g.toString());
            default -> metadata.put(name, String.valueOf(o)); // String, Long, BigInteger, Double
        }
    }

    private static String key(Path path, Object k) {
        if (k instanceof String s) return s;
        if (k instanceof Long || k instanceof BigInteger) return k.toString();
        throw new InvalidFileException(path, "dict key of unsupported type " + Unpickler.describe(k));
    }

    private static String join(String prefix, String k) { return prefix.isEmpty() ? k : prefix + "." + k; }

    /** Storage bytes by key, and views of them. */
    private static final class Storages {
        final Path path;
        final MemorySegment file;
        final Map<String, Zip.Entry> entries;
        final String prefix;
        final Arena arena;
        final Map<String, MemorySegment> loaded = new LinkedHashMap<>();
        /** Objects visited while flattening, and the bound (generous for real files, tiny next to a memo bomb). */
        long visits, maxVisits;
        /** Bytes copied out for strided tensors, and the bound relative to the file size and the configurable cap. */
        long materialised, maxMaterialised;

        Storages(Path path, MemorySegment file, Map<String, Zip.Entry> entries, String prefix, Arena arena) {
            this.path = path; this.file = file; this.entries = entries; this.prefix = prefix; this.arena = arena;
            this.maxVisits = 1_000_000 + 64 * file.byteSize() / 1024;
            this.maxMaterialised = Math.min(TensorFile.maxMaterialisedBytes(), Math.max(256L << 20, 4 * file.byteSize()));
        }

        MemorySegment bytes(Unpickler.StorageRef s) {
            MemorySegment seg = loaded.get(s.key());
            if (seg == null) {
                Zip.Entry e = entries.get(prefix + "data/" + s.key());
                if (e == null) throw new InvalidFileException(path, "storage " + s.key() + " is missing from the zip");
                seg = Zip.data(path, file, e, arena);
                Zip.checkCrc(path, e, seg);
                long need;
                try {
                    need = s.byteSize();
                } catch (ArithmeticException ex) {
                    throw new InvalidFileException(path, "storage " + s.key() + " size overflows");
                }
                if (seg.byteSize() != need)
                    throw new InvalidFileException(path, "storage " + s.key() + " should hold " + s.numel() + " "
                            + (s.dtype() == null ? "bytes" : s.dtype() + " (" + need + " bytes)") + " but its entry has " + seg.byteSize() + " bytes");
                loaded.put(s.key(), seg);
            }
            return seg;
        }

        TensorView view(String name, Unpickler.TensorRef t) {
            var s = t.storage();
            MemorySegment storage = bytes(s);
            var dtype = t.dtype();
            int es = dtype.bytes;
            long storageNumel = storage.byteSize() / es;
            long[] size = t.size(), stride = t.stride();
            String where = "tensor '" + name + "': ";
            if (size.length != stride.length) throw new InvalidFileException(path, where + "size and stride have different ranks");
            int[] shape = new int[size.length];
            long numel = 1, last = t.offset();
            try {
                for (int i = 0; i < size.length; i++) {
                    if (size[i] < 0 || size[i] > Integer.MAX_VALUE || stride[i] < 0)
                        throw new InvalidFileException(path, where + "bad size or stride " + java.util.Arrays.toString(size));
                    shape[i] = (int) size[i];
                    numel = Math.multiplyExact(numel, size[i]);
                    if (size[i] > 0) last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
                }
            } catch (ArithmeticException ex) {
                throw new InvalidFileException(path, where + "size overflows");
            }
            if (numel == 0) return new TensorView(dtype, shape, MemorySegment.ofArray(new byte[0]));
            if (t.offset() < 0 || last >= storageNumel)
                throw new InvalidFileException(path, where + "reaches element " + last + " of a " + storageNumel + "-element storage");
            if (contiguous(size, stride))
                return new TensorView(dtype, shape, storage.asSlice(t.offset() * es, numel * es));
            // Strided: gather into C order. Runs along the last axis are copied as blocks when its stride is 1.
            // A zero-stride (expanded) view can claim far more bytes than the file holds: bound the total copied.
            materialised += numel * es;
            if (numel * es > maxMaterialised || materialised > maxMaterialised)
                throw new InvalidFileException(path, where + "materialising strided tensors needs " + materialised + " bytes, more than "
                        + maxMaterialised + " for a " + file.byteSize() + "-byte file (an expanded or repeated view?); raise VIREO_MAX_TENSOR_BYTES if genuine");
            MemorySegment out = arena.allocate(numel * es, 8);
            int r = size.length;
            long run = stride[r - 1] == 1 ? size[r - 1] : 1;
            long[] idx = new long[r];
            long dst = 0, count = numel / run;
            for (long c = 0; c < count; c++) {
                long src = t.offset();
                for (int i = 0; i < r; i++) src += idx[i] * stride[i];
                MemorySegment.copy(storage, src * es, out, dst, run * es);
                dst += run * es;
                for (int i = run == 1 ? r - 1 : r - 2; i >= 0; i--) { // odometer over the axes not in the run
                    if (++idx[i] < size[i]) break;
                    idx[i] = 0;
                }
            }
            return new TensorView(dtype, shape, out);
        }

        private static boolean contiguous(long[] size, long[] stride) {
            long expect = 1;
            for (int i = size.length - 1; i >= 0; i--) {
                if (size[i] != 1 && stride[i] != expect) return false;
                expect *= size[i];
            }
            return true;
        }
    }

}
