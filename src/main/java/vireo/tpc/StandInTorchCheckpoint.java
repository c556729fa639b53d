package vireo.tpc;

import vireo.io.InvalidFileException;
import vireo.tensor.DType;
import vireo.tensor.TensorView;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Private stand-in for vireo.io.TorchCheckpoint: reads a PyTorch zip checkpoint holding a flat state dict of
 * tensors (torch.save of an OrderedDict), with the small subset of pickle protocol 2 such files use. Replaced by
 * the "io" helper's reader when it is in main.
 */
final class StandInTorchCheckpoint {
    private StandInTorchCheckpoint() {}

    private record Global(String module, String name) {}
    private record Storage(String key, DType dtype) {}
    private static final Object MARK = new Object();

    static Map<String, TensorView> read(Path p) {
        try (ZipFile zip = new ZipFile(p.toFile())) {
            ZipEntry pkl = zip.stream().filter(e -> e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl"))
                    .findFirst().orElseThrow(() -> new InvalidFileException(p, "no data.pkl in the checkpoint archive"));
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            byte[] code = zip.getInputStream(pkl).readAllBytes();
            Map<String, byte[]> storages = new HashMap<>();
            Object root = unpickle(p, code, key -> storages.computeIfAbsent(key, k -> {
                ZipEntry e = zip.getEntry(prefix + "data/" + k);
                if (e == null) throw new InvalidFileException(p, "missing storage data/" + k);
                try { return zip.getInputStream(e).readAllBytes(); } catch (IOException x) { throw new java.io.UncheckedIOException(x); }
            }));
            if (!(root instanceof Map<?, ?> m)) throw new InvalidFileException(p, "checkpoint is not a state dict");
            Map<String, TensorView> out = new LinkedHashMap<>();
            for (var e : m.entrySet()) if (e.getValue() instanceof TensorView v) out.put((String) e.getKey(), v);
            return out;
        } catch (IOException e) {
            throw new InvalidFileException(p, "not a readable PyTorch checkpoint (" + e.getMessage() + ")");
        } catch (InvalidFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidFileException(p, "unsupported or corrupted PyTorch checkpoint (" + e + ")");
        }
    }

    @SuppressWarnings("unchecked")
    private static Object unpickle(Path p, byte[] c, java.util.function.Function<String, byte[]> storage) {
        ByteBuffer b = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
        ArrayDeque<Object> st = new ArrayDeque<>();
        Map<Integer, Object> memo = new HashMap<>();
        while (true) {
            int op = b.get() & 0xff;
            switch (op) {
                case 0x80 -> b.get(); // PROTO
                case 'c' -> st.push(new Global(line(b), line(b)));
                case 'q' -> memo.put(b.get() & 0xff, st.peek());
                case 'r' -> memo.put(b.getInt(), st.peek());
                case 'h' -> st.push(memo.get(b.get() & 0xff));
                case 'j' -> st.push(memo.get(b.getInt()));
                case ')' -> st.push(List.of());
                case '}' -> st.push(new LinkedHashMap<>());
                case ']' -> st.push(new ArrayList<>());
                case '(' -> st.push(MARK);
                case 'X' -> { int n = b.getInt(); byte[] s = new byte[n]; b.get(s); st.push(new String(s, StandardCharsets.UTF_8)); }
                case 'K' -> st.push((long) (b.get() & 0xff));
                case 'M' -> st.push((long) (b.getShort() & 0xffff));
                case 'J' -> st.push((long) b.getInt());
                case 0x89 -> st.push(Boolean.FALSE);
                case 0x88 -> st.push(Boolean.TRUE);
                case 'N' -> st.push("None");
                case 't' -> st.push(popToMark(st));
                case 0x85 -> st.push(List.of(st.pop()));
                case 0x86 -> { Object y = st.pop(), x = st.pop(); st.push(List.of(x, y)); }
                case 0x87 -> { Object z = st.pop(), y = st.pop(), x = st.pop(); st.push(List.of(x, y, z)); }
                case 'Q' -> { // BINPERSID: ('storage', FloatStorage, key, location, numel)
                    List<Object> t = (List<Object>) st.pop();
                    Global g = (Global) t.get(1);
                    DType dt = switch (g.name()) {
                        case "FloatStorage" -> DType.F32; case "LongStorage" -> DType.I64; case "HalfStorage" -> DType.F16;
                        case "BFloat16Storage" -> DType.BF16; case "DoubleStorage" -> DType.F64; case "IntStorage" -> DType.I32;
                        default -> throw new InvalidFileException(p, "unsupported storage " + g.name());
                    };
                    st.push(new Storage((String) t.get(2), dt));
                }
                case 'R' -> {
                    List<Object> args = (List<Object>) st.pop();
                    Global f = (Global) st.pop();
                    if (f.name().equals("OrderedDict")) st.push(new LinkedHashMap<>());
                    else if (f.name().equals("_rebuild_tensor_v2")) st.push(tensor(p, args, storage));
                    else throw new InvalidFileException(p, "unsupported pickle call " + f.module() + "." + f.name());
                }
                case 's' -> { Object v = st.pop(), k = st.pop(); ((Map<Object, Object>) st.peek()).put(k, v); }
                case 'u' -> {
                    List<Object> kv = popToMark(st);
                    Map<Object, Object> m = (Map<Object, Object>) st.peek();
                    for (int i = 0; i < kv.size(); i += 2) m.put(kv.get(i), kv.get(i + 1));
                }
                case 'b' -> st.pop(); // BUILD: state of an OrderedDict (metadata) is ignored
                case '.' -> { return st.pop(); }
                default -> throw new InvalidFileException(p, "unsupported pickle opcode 0x" + Integer.toHexString(op));
            }
        }
    }

    private static List<Object> popToMark(ArrayDeque<Object> st) {
        ArrayList<Object> items = new ArrayList<>();
        while (true) {
            Object o = st.pop();
            if (o == MARK) break;
            items.add(o);
        }
        java.util.Collections.reverse(items);
        return items;
    }

    private static String line(ByteBuffer b) {
        StringBuilder s = new StringBuilder();
        for (byte x; (x = b.get()) != '\n'; ) s.append((char) x);
        return s.toString();
    }

    @SuppressWarnings("unchecked")
    private static TensorView tensor(Path p, List<Object> a, java.util.function.Function<String, byte[]> storage) {
        Storage s = (Storage) a.get(0);
        int offset = (int) (long) (Long) a.get(1);
        List<Object> size = (List<Object>) a.get(2), stride = (List<Object>) a.get(3);
        int[] shape = size.stream().mapToInt(o -> (int) (long) (Long) o).toArray();
        long[] strides = stride.stream().mapToLong(o -> (Long) o).toArray();
        long n = TensorView.numel(shape);
        byte[] raw = storage.apply(s.key());
        int eb = s.dtype().bytes;
        byte[] out = new byte[(int) n * eb];
        int[] pos = new int[shape.length];
        for (long i = 0; i < n; i++) { // gather in C order whatever the strides
            long src = offset;
            for (int d = 0; d < shape.length; d++) src += pos[d] * strides[d];
            if ((src + 1) * eb > raw.length) throw new InvalidFileException(p, "tensor data out of its storage");
            System.arraycopy(raw, (int) src * eb, out, (int) i * eb, eb);
            for (int d = shape.length - 1; d >= 0 && ++pos[d] == shape[d]; d--) pos[d] = 0;
        }
        return new TensorView(s.dtype(), shape, MemorySegment.ofArray(out));
    }
}
