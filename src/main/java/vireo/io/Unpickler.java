package vireo.io;

import vireo.tensor.DType;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle virtual machine for the subset of opcodes and globals {@code torch.save} emits for state dicts and
 * training checkpoints. It never imports or calls anything: globals resolve to a closed list (OrderedDict, tensor
 * and parameter rebuilders, typed storages); anything else is an {@link InvalidFileException} naming it.
 *
 * <p>Python values map to: dict/OrderedDict → LinkedHashMap, list → ArrayList, tuple → {@link Tuple}, str → String,
 * int → Long (BigInteger if wider), float → Double, bool → Boolean, None → null, bytes → byte[];
 * tensors → {@link TensorRef}.
 */
final class Unpickler {

    record Tuple(List<Object> items) {
        Object get(int i) { return items.get(i); }
        int size() { return items.size(); }
    }

    record Global(String module, String name) {
        @Override public String toString() { return module + "." + name; }
    }

    /**
     * A storage named by a persistent id: the bytes live in the zip entry {@code data/<key>}. {@code dtype} is null
     * for an untyped storage (torch.storage.UntypedStorage, used with _rebuild_tensor_v3); numel then counts bytes.
     */
    record StorageRef(DType dtype, String key, long numel) {
        long byteSize() { return Math.multiplyExact(numel, (long) (dtype == null ? 1 : dtype.bytes)); }
    }

    /** A strided view of a storage (offset, size and stride in elements of {@code dtype}). */
    record TensorRef(StorageRef storage, DType dtype, long offset, long[] size, long[] stride) {}

    /** torch dtypes by their Python names, as _rebuild_tensor_v3 receives them. */
    private static final Map<String, DType> DTYPES = Map.ofEntries(
            Map.entry("float32", DType.F32), Map.entry("float16", DType.F16), Map.entry("bfloat16", DType.BF16),
            Map.entry("float64", DType.F64), Map.entry("int64", DType.I64), Map.entry("int32", DType.I32),
            Map.entry("int16", DType.I16), Map.entry("uint16", DType.U16), Map.entry("int8", DType.I8),
            Map.entry("uint8", DType.U8), Map.entry("bool", DType.BOOL));

    private static final Map<String, DType> STORAGES = Map.of(
            "FloatStorage", DType.F32, "HalfStorage", DType.F16, "BFloat16Storage", DType.BF16,
            "DoubleStorage", DType.F64, "LongStorage", DType.I64, "IntStorage", DType.I32,
            "ShortStorage", DType.I16, "ByteStorage", DType.U8, "CharStorage", DType.I8, "BoolStorage", DType.BOOL);


    private final Path path;
    private final ByteBuffer in;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private Unpickler(Path path, byte[] bytes) {
        this.path = path;
        this.in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Runs the pickle program in {@code bytes} and returns what STOP leaves on the stack. */
    static Object load(Path path, byte[] bytes) {
        return new Unpickler(path, bytes).run();
    }

    private InvalidFileException bad(String problem) {
        return new InvalidFileException(path, "pickle: " + problem);
    }

    private Object run() {
        while (true) {
            if (!in.hasRemaining()) throw bad("ends without STOP (truncated?)");
            int pos = in.position();
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> { // PROTO
                    int v = u8();
                    if (v > 5) throw bad("unsupported protocol " + v);
                }
                case 0x95 -> skip(8);                         // FRAME: framing is irrelevant when all bytes are in memory
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) throw bad("STOP with " + stack.size() + " items on the stack");
                    return stack.getFirst();
                }
                case '}' -> push(new LinkedHashMap<>());      // EMPTY_DICT
                case ']' -> push(new ArrayList<>());          // EMPTY_LIST
                case ')' -> push(new Tuple(List.of()));       // EMPTY_TUPLE
                case '(' -> marks.add(stack.size());          // MARK
                case 't' -> push(new Tuple(popMark()));       // TUPLE
                case 0x85 -> push(tuple(1));                  // TUPLE1
                case 0x86 -> push(tuple(2));                  // TUPLE2
                case 0x87 -> push(tuple(3));                  // TUPLE3
                case 'X' -> push(utf8(u32()));                // BINUNICODE
                case 0x8c -> push(utf8(u8()));                // SHORT_BINUNICODE
                case 0x8d -> push(utf8(len8()));              // BINUNICODE8
                case 'T' -> push(latin1(in.getInt()));        // BINSTRING
                case 'U' -> push(latin1(u8()));               // SHORT_BINSTRING
                case 'B' -> push(bytes(u32()));               // BINBYTES
                case 'C' -> push(bytes(u8()));                // SHORT_BINBYTES
                case 'J' -> push((long) need(4).getInt());    // BININT
                case 'K' -> push((long) u8());                // BININT1
                case 'M' -> push((long) (need(2).getShort() & 0xffff)); // BININT2
                case 0x8a -> push(longN(u8()));               // LONG1
                case 0x8b -> push(longN(need(4).getInt()));   // LONG4
                case 0x88 -> push(Boolean.TRUE);              // NEWTRUE
                case 0x89 -> push(Boolean.FALSE);             // NEWFALSE
                case 'N' -> push(null);                       // NONE
                case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(need(8).getLong()))); // BINFLOAT (big-endian)
                case 'q' -> memo.put((long) u8(), peek());    // BINPUT
                case 'r' -> memo.put(u32(), peek());          // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                case 'h' -> push(memoGet(u8()));              // BINGET
                case 'j' -> push(memoGet(u32()));             // LONG_BINGET
                case '0' -> pop();                            // POP
                case '1' -> popMark();                        // POP_MARK
                case '2' -> push(peek());                     // DUP
                case 'c' -> push(global(line(), line()));     // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop(), module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) throw bad("STACK_GLOBAL needs two strings");
                    push(global(m, n));
                }
                case 'R' -> { // REDUCE
                    Object args = pop(), fn = pop();
                    if (!(args instanceof Tuple t)) throw bad("REDUCE arguments are not a tuple");
                    push(call(fn, t));
                }
                case 0x81 -> { // NEWOBJ: cls.__new__(cls, *args); only OrderedDict qualifies
                    Object args = pop(), cls = pop();
                    if (cls instanceof Global g && g.name().equals("OrderedDict")) push(new LinkedHashMap<>());
                    else throw bad("NEWOBJ of unsupported class " + cls);
                }
                case 'b' -> { // BUILD
                    Object state = pop(), target = peek();
                    // An OrderedDict's instance state (state_dict's _metadata: module versions) carries no tensors.
                    if (!(target instanceof Map) && !(target instanceof TensorRef))
                        throw bad("BUILD on unsupported object " + describe(target));
                }
                case 's' -> { // SETITEM
                    Object v = pop(), k = pop();
                    dict(peek()).put(k, v);
                }
                case 'u' -> { // SETITEMS
                    List<Object> kv = popMark();
                    if (kv.size() % 2 != 0) throw bad("SETITEMS with an odd number of items");
                    Map<Object, Object> d = dict(peek());
                    for (int i = 0; i < kv.size(); i += 2) d.put(kv.get(i), kv.get(i + 1));
                }
                case 'a' -> { // APPEND
                    Object v = pop();
                    list(peek()).add(v);
                }
                case 'e' -> { // APPENDS
                    List<Object> vs = popMark();
                    list(peek()).addAll(vs);
                }
                case 'Q' -> push(persistent(pop()));          // BINPERSID
                default -> throw bad(String.format("unsupported opcode 0x%02x%s at byte %d", op,
                        op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : "", pos));
            }
        }
    }

    // ---- globals and calls: a closed list, nothing is ever looked up dynamically ----

    private Global global(String module, String name) {
        boolean ok = switch (module) {
            case "collections" -> name.equals("OrderedDict");
            case "torch._utils" -> name.equals("_rebuild_tensor_v2") || name.equals("_rebuild_tensor_v3")
                    || name.equals("_rebuild_parameter");
            case "torch" -> STORAGES.containsKey(name) || DTYPES.containsKey(name);
            case "torch.storage" -> name.equals("UntypedStorage");
            default -> false;
        };
        if (!ok) throw bad("unsupported global " + module + "." + name);
        return new Global(module, name);
    }

    private Object call(Object fn, Tuple args) {
        if (!(fn instanceof Global g)) throw bad("REDUCE on a non-callable " + describe(fn));
        switch (g.name()) {
            case "OrderedDict" -> {
                var d = new LinkedHashMap<Object, Object>();
                if (args.size() == 1 && args.get(0) instanceof List<?> pairs)
                    for (Object p : pairs) {
                        if (!(p instanceof Tuple kv) || kv.size() != 2) throw bad("OrderedDict item is not a pair");
                        d.put(kv.get(0), kv.get(1));
                    }
                else if (args.size() != 0) throw bad("OrderedDict called with unsupported arguments");
                return d;
            }
            case "_rebuild_tensor_v2" -> {
                if (args.size() < 4 || args.size() > 7) throw bad("_rebuild_tensor_v2 with " + args.size() + " arguments");
                if (!(args.get(0) instanceof StorageRef s) || s.dtype() == null) throw bad("_rebuild_tensor_v2 without a typed storage");
                return new TensorRef(s, s.dtype(), integer(args.get(1), "storage offset"), longs(args.get(2), "size"), longs(args.get(3), "stride"));
            }
            case "_rebuild_tensor_v3" -> { // (storage, offset, size, stride, requires_grad, hooks, dtype[, metadata])
                if (args.size() < 7 || args.size() > 8) throw bad("_rebuild_tensor_v3 with " + args.size() + " arguments");
                if (!(args.get(0) instanceof StorageRef s)) throw bad("_rebuild_tensor_v3 without a storage");
                if (!(args.get(6) instanceof Global d) || !DTYPES.containsKey(d.name())) throw bad("_rebuild_tensor_v3 without a dtype");
                return new TensorRef(s, DTYPES.get(d.name()), integer(args.get(1), "storage offset"), longs(args.get(2), "size"), longs(args.get(3), "stride"));
            }
            case "_rebuild_parameter" -> {
                if (args.size() < 1 || !(args.get(0) instanceof TensorRef t)) throw bad("_rebuild_parameter without a tensor");
                return t;
            }
            default -> throw bad("calling " + g + " is not supported");
        }
    }

    private StorageRef persistent(Object pid) {
        // ('storage', torch.FloatStorage, '<key>', 'cpu', numel)
        if (!(pid instanceof Tuple t) || t.size() < 5 || !"storage".equals(t.get(0)))
            throw bad("unsupported persistent id " + describe(pid));
        boolean untyped = t.get(1) instanceof Global g && g.name().equals("UntypedStorage");
        if (!untyped && !(t.get(1) instanceof Global g && STORAGES.containsKey(g.name()))) throw bad("unsupported storage type " + t.get(1));
        if (!(t.get(2) instanceof String key)) throw bad("storage key is not a string");
        long numel = integer(t.get(4), "storage size");
        if (numel < 0) throw bad("negative storage size");
        return new StorageRef(untyped ? null : STORAGES.get(((Global) t.get(1)).name()), key, numel);
    }

    // ---- stack helpers ----

    private void push(Object o) { stack.add(o); }

    private Object pop() {
        if (stack.size() <= (marks.isEmpty() ? 0 : marks.getLast())) throw bad("stack underflow");
        return stack.removeLast();
    }

    private Object peek() {
        if (stack.size() <= (marks.isEmpty() ? 0 : marks.getLast())) throw bad("stack underflow");
        return stack.getLast();
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) throw bad("no MARK on the stack");
        int m = marks.removeLast();
        List<Object> top = stack.subList(m, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private Tuple tuple(int n) {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) items[i] = pop();
        return new Tuple(Arrays.asList(items));
    }

    private Object memoGet(long i) {
        if (!memo.containsKey(i)) throw bad("memo key " + i + " used before it was set");
        return memo.get(i);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) {
        if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw bad("SETITEM on " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (o instanceof List<?> l) return (List<Object>) l;
        throw bad("APPEND on " + describe(o));
    }

    private long integer(Object o, String what) {
        if (o instanceof Long l) return l;
        throw bad(what + " is not an integer: " + describe(o));
    }

    private long[] longs(Object o, String what) {
        if (!(o instanceof Tuple t)) throw bad(what + " is not a tuple");
        long[] r = new long[t.size()];
        for (int i = 0; i < r.length; i++) r[i] = integer(t.get(i), what);
        return r;
    }

    static String describe(Object o) {
        if (o == null) return "None";
        if (o instanceof Global g) return g.toString();
        return o.getClass().getSimpleName();
    }

    // ---- reading operands, always checked against what is left so a lying length cannot allocate ----

    private ByteBuffer need(int n) {
        if (n < 0 || in.remaining() < n) throw bad("truncated: need " + n + " bytes at byte " + in.position());
        return in;
    }

    private void skip(int n) { need(n).position(in.position() + n); }

    private int u8() { return need(1).get() & 0xff; }

    private long u32() { return need(4).getInt() & 0xffffffffL; }

    private long len8() { return need(8).getLong(); }

    private byte[] bytes(long n) {
        if (n < 0 || n > in.remaining()) throw bad("length " + n + " runs past the end of the pickle");
        byte[] b = new byte[(int) n];
        in.get(b);
        return b;
    }

    private String utf8(long n) { return new String(bytes(n), StandardCharsets.UTF_8); }

    private String latin1(long n) { return new String(bytes(n), StandardCharsets.ISO_8859_1); }

    private Object longN(long n) {
        byte[] le = bytes(n);
        if (le.length == 0) return 0L;
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) be[i] = le[le.length - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private String line() {
        int start = in.position();
        while (in.hasRemaining() && in.get() != '\n') { /* scan */ }
        if (in.position() == start || in.get(in.position() - 1) != '\n') throw bad("truncated GLOBAL");
        return new String(in.array(), start, in.position() - start - 1, StandardCharsets.UTF_8);
    }
}
