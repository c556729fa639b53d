package vireo.steer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import vireo.io.InvalidFileException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link SteeringVector} as a safetensors file: per site three float32 tensors {@code <point>.direction},
 * {@code <point>.mean_positive}, {@code <point>.mean_negative}; the record's other fields in the string metadata
 * ({@code vireo.steer = 1}, {@code model}, {@code hook}, {@code dataset}, {@code position_rule},
 * {@code n_positive}, {@code n_negative}). Readable by Python's {@code safetensors.torch.load_file}.
 */
public final class VectorFile {
    private VectorFile() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void save(Path path, SteeringVector v) {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (SteeringVector.Site s : v.sites().values()) {
            tensors.put(s.point() + ".direction", s.direction());
            tensors.put(s.point() + ".mean_positive", s.meanPositive());
            tensors.put(s.point() + ".mean_negative", s.meanNegative());
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("vireo.steer", "1");
        meta.put("model", v.model());
        meta.put("hook", v.hook());
        meta.put("dataset", v.dataset());
        meta.put("position_rule", v.positionRule());
        meta.put("n_positive", Integer.toString(v.nPositive()));
        meta.put("n_negative", Integer.toString(v.nNegative()));
        writeSafetensors(path, tensors, meta);
    }

    public static SteeringVector load(Path path) {
        Raw raw = readSafetensors(path);
        Map<String, String> m = raw.metadata;
        if (!"1".equals(m.get("vireo.steer")))
            throw new InvalidFileException(path, "not a Vireo steering vector (metadata vireo.steer missing)");
        Map<String, SteeringVector.Site> sites = new LinkedHashMap<>();
        for (String name : raw.tensors.keySet()) {
            if (!name.endsWith(".direction")) continue;
            String p = name.substring(0, name.length() - ".direction".length());
            float[] mp = raw.tensors.get(p + ".mean_positive"), mn = raw.tensors.get(p + ".mean_negative");
            if (mp == null || mn == null) throw new InvalidFileException(path, "site " + p + " lacks its class means");
            sites.put(p, new SteeringVector.Site(p, raw.tensors.get(name), mp, mn));
        }
        if (sites.isEmpty()) throw new InvalidFileException(path, "steering vector file holds no directions");
        try {
            return new SteeringVector(m.getOrDefault("model", ""), m.get("hook"), m.getOrDefault("dataset", ""),
                    m.getOrDefault("position_rule", ""), Integer.parseInt(m.get("n_positive")),
                    Integer.parseInt(m.get("n_negative")), sites);
        } catch (RuntimeException e) {
            throw new InvalidFileException(path, "bad steering vector metadata: " + e.getMessage());
        }
    }

    // Minimal safetensors (F32 only), private to this package until vireo.io.SafeTensors is available.
    private record Raw(Map<String, float[]> tensors, Map<String, String> metadata) {}

    static void writeSafetensors(Path path, Map<String, float[]> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        metadata.forEach(meta::put);
        long off = 0;
        for (var e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            t.putArray("shape").add(e.getValue().length);
            t.putArray("data_offsets").add(off).add(off + 4L * e.getValue().length);
            off += 4L * e.getValue().length;
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        int pad = (8 - h.length % 8) % 8;
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + h.length + pad + off)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length + pad).put(h);
        for (int i = 0; i < pad; i++) buf.put((byte) ' ');
        for (float[] a : tensors.values()) for (float f : a) buf.putFloat(f);
        try {
            Path abs = path.toAbsolutePath();
            Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName() + ".", ".tmp");
            try {
                Files.write(tmp, buf.array());
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Raw readSafetensors(Path path) {
        byte[] all;
        try {
            all = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < 8) throw new InvalidFileException(path, "too short for a safetensors file");
        long n = b.getLong();
        if (n <= 0 || 8 + n > all.length) throw new InvalidFileException(path, "bad safetensors header length " + n);
        JsonNode header;
        try {
            header = JSON.readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InvalidFileException(path, "safetensors header is not JSON");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        Map<String, float[]> tensors = new LinkedHashMap<>();
        int base = (int) (8 + n);
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals("__metadata__")) {
                e.getValue().fields().forEachRemaining(f -> meta.put(f.getKey(), f.getValue().asText()));
                continue;
            }
            JsonNode t = e.getValue();
            if (!"F32".equals(t.path("dtype").asText()))
                throw new InvalidFileException(path, "tensor " + e.getKey() + " is " + t.path("dtype").asText() + ", expected F32");
            long s = t.path("data_offsets").get(0).asLong(), end = t.path("data_offsets").get(1).asLong();
            if (end < s || base + end > all.length) throw new InvalidFileException(path, "tensor " + e.getKey() + " runs past the end of the file");
            float[] a = new float[(int) ((end - s) / 4)];
            ByteBuffer slice = ByteBuffer.wrap(all, (int) (base + s), (int) (end - s)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < a.length; i++) a[i] = slice.getFloat();
            tensors.put(e.getKey(), a);
        }
        return new Raw(tensors, meta);
    }
}
