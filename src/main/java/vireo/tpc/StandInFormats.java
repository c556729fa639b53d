package vireo.tpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import vireo.io.InvalidFileException;
import vireo.tensor.DType;
import vireo.tensor.TensorView;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Private stand-ins for the "io" helper's readers (vireo.io.SafeTensors / Npy / TorchCheckpoint), just enough for
 * the BCAE-VS checkpoint dumped to safetensors and uint16 wedge .npy files. Replaced when io lands in main.
 */
final class StandInFormats {
    private StandInFormats() {}

    static Map<String, TensorView> readSafetensors(Path p) {
        try {
            byte[] all = Files.readAllBytes(p);
            if (all.length < 8) throw new InvalidFileException(p, "too short for safetensors");
            long hlen = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (hlen < 2 || 8 + hlen > all.length) throw new InvalidFileException(p, "bad safetensors header length " + hlen);
            JsonNode head = new ObjectMapper().readTree(new String(all, 8, (int) hlen, StandardCharsets.UTF_8));
            Map<String, TensorView> out = new LinkedHashMap<>();
            MemorySegment seg = MemorySegment.ofArray(all);
            for (Iterator<Map.Entry<String, JsonNode>> it = head.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().equals("__metadata__")) continue;
                JsonNode t = e.getValue();
                DType dt = switch (t.get("dtype").asText()) {
                    case "F32" -> DType.F32; case "F16" -> DType.F16; case "I64" -> DType.I64; case "BF16" -> DType.BF16;
                    default -> throw new InvalidFileException(p, "unsupported dtype " + t.get("dtype").asText());
                };
                int[] shape = new int[t.get("shape").size()];
                for (int i = 0; i < shape.length; i++) shape[i] = t.get("shape").get(i).asInt();
                long a = t.get("data_offsets").get(0).asLong(), b = t.get("data_offsets").get(1).asLong();
                out.put(e.getKey(), new TensorView(dt, shape, seg.asSlice(8 + hlen + a, b - a)));
            }
            return out;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidFileException(p, "no such file");
        } catch (IOException e) {
            throw new InvalidFileException(p, "cannot read: " + e.getMessage());
        } catch (RuntimeException e) {
            if (e instanceof InvalidFileException) throw e;
            throw new InvalidFileException(p, "not a valid safetensors file (" + e.getMessage() + ")");
        }
    }

    /** A little-endian uint16 C-order .npy file: its shape and values. */
    record U16Array(int[] shape, short[] values) {}

    static U16Array readNpyU16(Path p) {
        byte[] all;
        try {
            all = Files.readAllBytes(p);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidFileException(p, "no such file");
        } catch (IOException e) {
            throw new InvalidFileException(p, "cannot read: " + e.getMessage());
        }
        if (all.length < 10 || all[0] != (byte) 0x93 || all[1] != 'N' || all[2] != 'U' || all[3] != 'M')
            throw new InvalidFileException(p, "not a .npy file (bad magic)");
        int major = all[6];
        int hlen, start;
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) { hlen = bb.getShort(8) & 0xffff; start = 10; } else { hlen = bb.getInt(8); start = 12; }
        if (start + hlen > all.length) throw new InvalidFileException(p, "truncated .npy header");
        String h = new String(all, start, hlen, StandardCharsets.ISO_8859_1);
        if (!h.matches("(?s).*'descr':\\s*'[<|=]u2'.*"))
            throw new InvalidFileException(p, "expected uint16 ADC values, header says " + h.trim());
        if (h.matches("(?s).*'fortran_order':\\s*True.*")) throw new InvalidFileException(p, "Fortran-order arrays are not supported");
        var mt = java.util.regex.Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(h);
        if (!mt.find()) throw new InvalidFileException(p, "no shape in .npy header");
        String[] parts = mt.group(1).split(",");
        int[] shape = java.util.Arrays.stream(parts).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        long n = 1;
        for (int d : shape) n *= d;
        int data = start + hlen;
        if (all.length - data != 2 * n) throw new InvalidFileException(p, "expected " + 2 * n + " data bytes, found " + (all.length - data));
        short[] v = new short[(int) n];
        bb.position(data);
        bb.asShortBuffer().get(v);
        return new U16Array(shape, v);
    }

    static byte[] npyU16Bytes(int[] shape, short[] values) {
        StringBuilder s = new StringBuilder("{'descr': '<u2', 'fortran_order': False, 'shape': (");
        for (int d : shape) s.append(d).append(", ");
        if (shape.length > 1) s.setLength(s.length() - 1);
        s.append("), }");
        int total = 10 + s.length() + 1;
        int pad = (64 - total % 64) % 64;
        s.append(" ".repeat(pad)).append('\n');
        ByteBuffer bb = ByteBuffer.allocate(10 + s.length() + 2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        bb.putShort((short) s.length()).put(s.toString().getBytes(StandardCharsets.ISO_8859_1));
        bb.asShortBuffer().put(values);
        return bb.array();
    }

    /** float32 tensors and string metadata as safetensors bytes (names in the given order). */
    static byte[] safetensorsBytes(Map<String, vireo.tensor.Tensor> tensors, Map<String, String> metadata) {
        var head = new ObjectMapper().createObjectNode();
        if (!metadata.isEmpty()) {
            var md = head.putObject("__metadata__");
            metadata.forEach(md::put);
        }
        long off = 0;
        for (var e : tensors.entrySet()) {
            var t = head.putObject(e.getKey());
            t.put("dtype", "F32");
            var sh = t.putArray("shape");
            for (int d : e.getValue().shape) sh.add(d);
            long len = 4L * e.getValue().data.length;
            t.putArray("data_offsets").add(off).add(off + len);
            off += len;
        }
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        int pad = (8 - h.length % 8) % 8;
        ByteBuffer bb = ByteBuffer.allocate((int) (8 + h.length + pad + off)).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(h.length + pad).put(h);
        for (int i = 0; i < pad; i++) bb.put((byte) ' ');
        for (var t : tensors.values()) for (float f : t.data) bb.putFloat(f);
        return bb.array();
    }

    static Map<String, String> safetensorsMetadata(Path p) {
        try {
            byte[] all = Files.readAllBytes(p);
            long hlen = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            JsonNode md = new ObjectMapper().readTree(new String(all, 8, (int) hlen, StandardCharsets.UTF_8)).get("__metadata__");
            Map<String, String> out = new LinkedHashMap<>();
            if (md != null) md.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        } catch (IOException | RuntimeException e) {
            throw new InvalidFileException(p, "cannot read safetensors metadata (" + e.getMessage() + ")");
        }
    }
}
