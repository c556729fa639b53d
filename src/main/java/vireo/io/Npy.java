package vireo.io;

import vireo.tensor.DType;
import vireo.tensor.TensorView;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NumPy's .npy: magic {@code \x93NUMPY}, version bytes, a little-endian header length (2 bytes in v1.0, 4 in
 * v2.0/v3.0), an ASCII (v3: UTF-8) Python dict literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }},
 * then the raw array. Vireo reads little-endian C-ordered arrays of plain numeric dtypes.
 */
public final class Npy {
    private Npy() {}

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /**
     * Maps {@code path} and returns a view of its array. The map is owned by an automatic arena, so it lives as long
     * as the view is reachable. Use {@link #open} to control when it is unmapped.
     */
    public static TensorView read(Path path) {
        return parse(path, Mapped.map(path, Arena.ofAuto()));
    }

    /** The array as a one-tensor {@link TensorFile} named after the file (without .npy); closing it unmaps the file. */
    public static TensorFile open(Path path) {
        Arena arena = Arena.ofShared();
        try {
            TensorView v = parse(path, Mapped.map(path, arena));
            String name = path.getFileName().toString().replaceFirst("\\.npy$", "");
            var m = new LinkedHashMap<String, TensorView>();
            m.put(name, v);
            return new TensorFile(path, "npy", m, Map.of(), arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    static TensorView parse(Path path, MemorySegment file) {
        long size = file.byteSize();
        if (size < 10) throw new InvalidFileException(path, "not a .npy file: only " + size + " bytes");
        for (int i = 0; i < MAGIC.length; i++)
            if (file.get(ValueLayout.JAVA_BYTE, i) != MAGIC[i]) throw new InvalidFileException(path, "not a .npy file: wrong magic");
        int major = file.get(ValueLayout.JAVA_BYTE, 6), minor = file.get(ValueLayout.JAVA_BYTE, 7);
        long headerLen, headerStart;
        switch (major) {
            case 1 -> { headerLen = file.get(Mapped.I16, 8) & 0xffff; headerStart = 10; }
            case 2, 3 -> {
                if (size < 12) throw new InvalidFileException(path, "truncated .npy header");
                headerLen = file.get(Mapped.I32, 8) & 0xffffffffL; headerStart = 12;
            }
            default -> throw new InvalidFileException(path, "unsupported .npy version " + major + "." + minor);
        }
        if (headerLen > size - headerStart)
            throw new InvalidFileException(path, ".npy header length " + headerLen + " runs past the end of the " + size + "-byte file");
        byte[] hb = file.asSlice(headerStart, headerLen).toArray(ValueLayout.JAVA_BYTE);
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict;
        try {
            dict = new Literal(header).dict();
        } catch (IllegalArgumentException e) {
            throw new InvalidFileException(path, "malformed .npy header: " + e.getMessage());
        }
        Object descr = dict.get("descr"), fortran = dict.get("fortran_order"), shapeObj = dict.get("shape");
        if (!(descr instanceof String d))
            throw new InvalidFileException(path, "unsupported .npy dtype " + (descr == null ? "(missing descr)" : "(structured " + descr + ")"));
        if (!(fortran instanceof Boolean f)) throw new InvalidFileException(path, "malformed .npy header: no fortran_order");
        if (f) throw new InvalidFileException(path, "Fortran-ordered .npy arrays are not supported; save with np.ascontiguousarray");
        if (!(shapeObj instanceof List<?> shapeList)) throw new InvalidFileException(path, "malformed .npy header: no shape tuple");
        DType dtype = dtypeOf(path, d);
        int[] shape = new int[shapeList.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long l) || l < 0 || l > Integer.MAX_VALUE)
                throw new InvalidFileException(path, "bad .npy shape " + shapeList);
            shape[i] = (int) (long) l;
        }
        long need;
        try {
            need = Math.multiplyExact(TensorView.numel(shape), (long) dtype.bytes);
        } catch (ArithmeticException e) {
            throw new InvalidFileException(path, "bad .npy shape " + shapeList + ": too large");
        }
        long dataStart = headerStart + headerLen, have = size - dataStart;
        if (have != need)
            throw new InvalidFileException(path, "shape " + shapeList + " of " + d + " needs " + need + " data bytes but the file has "
                    + have + (have < need ? " (truncated?)" : ""));
        return new TensorView(dtype, shape, file.asSlice(dataStart, need));
    }

    static DType dtypeOf(Path path, String descr) {
        if (descr.length() < 3) throw new InvalidFileException(path, "unsupported .npy dtype '" + descr + "'");
        char order = descr.charAt(0);
        String kind = descr.substring(1);
        boolean oneByte = kind.endsWith("1");
        if (order == '>' && !oneByte)
            throw new InvalidFileException(path, "big-endian .npy arrays ('" + descr + "') are not supported; convert with arr.astype(arr.dtype.newbyteorder('<'))");
        if (order != '<' && order != '|' && order != '=' && !(order == '>' && oneByte))
            throw new InvalidFileException(path, "unsupported .npy dtype '" + descr + "'");
        DType t = switch (kind) {
            case "f4" -> DType.F32; case "f2" -> DType.F16; case "f8" -> DType.F64;
            case "i8" -> DType.I64; case "i4" -> DType.I32; case "i2" -> DType.I16; case "u2" -> DType.U16;
            case "i1" -> DType.I8; case "u1" -> DType.U8; case "b1" -> DType.BOOL;
            default -> null;
        };
        if (t == null) throw new InvalidFileException(path, "unsupported .npy dtype '" + descr + "'");
        return t;
    }

    static String descrOf(DType t) {
        return switch (t) {
            case F32 -> "<f4"; case F16 -> "<f2"; case F64 -> "<f8"; case I64 -> "<i8"; case I32 -> "<i4";
            case I16 -> "<i2"; case U16 -> "<u2"; case I8 -> "|i1"; case U8 -> "|u1"; case BOOL -> "|b1";
            case BF16 -> throw new IllegalArgumentException(".npy has no bfloat16 type; convert to F32 first");
        };
    }

    /**
     * Writes {@code t} as a version 1.0 .npy (2.0 if the header would exceed 64 KiB), header padded with spaces and
     * a newline so the data starts at a multiple of 64 bytes, as NumPy does. Atomic: temp file, then rename.
     */
    public static void write(Path path, TensorView t) {
        StringBuilder sb = new StringBuilder("{'descr': '").append(descrOf(t.dtype())).append("', 'fortran_order': False, 'shape': (");
        int[] shape = t.shape();
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i]);
        }
        if (shape.length == 1) sb.append(',');
        sb.append("), }");
        int major = sb.length() + 1 + 10 > 65535 ? 2 : 1;
        int pre = major == 1 ? 10 : 12;
        int total = (pre + sb.length() + 1 + 63) / 64 * 64;
        while (pre + sb.length() + 1 < total) sb.append(' ');
        sb.append('\n');
        byte[] h = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] head = new byte[pre + h.length];
        System.arraycopy(MAGIC, 0, head, 0, 6);
        head[6] = (byte) major;
        head[7] = 0;
        int len = h.length;
        head[8] = (byte) len;
        head[9] = (byte) (len >>> 8);
        if (major == 2) { head[10] = (byte) (len >>> 16); head[11] = (byte) (len >>> 24); }
        System.arraycopy(h, 0, head, pre, h.length);
        Mapped.writeAtomically(path, ch -> {
            Mapped.write(ch, head);
            Mapped.write(ch, t.segment());
        });
    }

    /** The tiny subset of Python literal syntax .npy headers use: a dict of str keys; str, bool, int, tuple values. */
    static final class Literal {
        private final String s;
        private int i;

        Literal(String s) { this.s = s; }

        Map<String, Object> dict() {
            Object v = value();
            ws();
            if (i != s.length()) throw new IllegalArgumentException("trailing text after the dict");
            if (!(v instanceof Map<?, ?> m)) throw new IllegalArgumentException("header is not a dict");
            @SuppressWarnings("unchecked") Map<String, Object> r = (Map<String, Object>) m;
            return r;
        }

        private void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        private char peek() {
            ws();
            if (i >= s.length()) throw new IllegalArgumentException("unexpected end");
            return s.charAt(i);
        }

        private void expect(char c) {
            if (peek() != c) throw new IllegalArgumentException("expected '" + c + "' at " + i);
            i++;
        }

        private int depth;

        private Object value() {
            if (++depth > 16) throw new IllegalArgumentException("nested too deeply");
            try {
                return valueAt(peek());
            } finally {
                depth--;
            }
        }

        private Object valueAt(char c) {
            if (c == '{') {
                i++;
                var m = new LinkedHashMap<String, Object>();
                while (peek() != '}') {
                    Object k = value();
                    if (!(k instanceof String key)) throw new IllegalArgumentException("dict key is not a string");
                    expect(':');
                    m.put(key, value());
                    if (peek() == ',') i++;
                    else if (peek() != '}') throw new IllegalArgumentException("expected ',' or '}' at " + i);
                }
                i++;
                return m;
            }
            if (c == '(' || c == '[') {
                char close = c == '(' ? ')' : ']';
                i++;
                var l = new ArrayList<Object>();
                while (peek() != close) {
                    l.add(value());
                    if (peek() == ',') i++;
                    else if (peek() != close) throw new IllegalArgumentException("expected ',' at " + i);
                }
                i++;
                return l;
            }
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) throw new IllegalArgumentException("unterminated string");
                String r = s.substring(i + 1, end);
                i = end + 1;
                return r;
            }
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '-' || s.charAt(i) == '_')) i++;
            String word = s.substring(start, i);
            if (word.equals("True")) return Boolean.TRUE;
            if (word.equals("False")) return Boolean.FALSE;
            if (word.endsWith("L")) word = word.substring(0, word.length() - 1); // Python 2 longs
            try {
                return Long.parseLong(word);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unexpected '" + (word.isEmpty() ? String.valueOf(c) : word) + "' at " + start);
            }
        }
    }
}
