package vireo.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import vireo.tensor.TensorView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Locates the fixtures written by tools/fixtures/make_io_fixtures.py and compares views with their JSON. */
final class IoFixtures {
    private IoFixtures() {}

    static Path path(String name) {
        try {
            return Path.of(IoFixtures.class.getResource("/fixtures/io/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("fixture " + name + " missing; run tools/fixtures/make_io_fixtures.py", e);
        }
    }

    static JsonNode json(String name) {
        try {
            return new ObjectMapper().readTree(path(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] shape(JsonNode s) {
        int[] r = new int[s.size()];
        for (int i = 0; i < r.length; i++) r[i] = s.get(i).asInt();
        return r;
    }

    /** Asserts every tensor in {@code expected} (name -> {dtype, shape, values}) matches exactly. */
    static void assertTensors(JsonNode expected, Map<String, TensorView> actual) {
        assertEquals(expected.size(), actual.size(), "tensor count; names " + actual.keySet());
        for (var it = expected.fields(); it.hasNext(); ) {
            var e = it.next();
            TensorView v = actual.get(e.getKey());
            if (v == null) throw new AssertionError("missing tensor " + e.getKey() + " in " + actual.keySet());
            assertView(e.getKey(), e.getValue(), v);
        }
    }

    static void assertView(String name, JsonNode exp, TensorView v) {
        if (exp.has("dtype") && !exp.get("dtype").asText().contains("<") && !exp.get("dtype").asText().contains("|"))
            assertEquals(exp.get("dtype").asText(), v.dtype().name(), name + " dtype");
        assertArrayEquals(shape(exp.get("shape")), v.shape(), name + " shape");
        JsonNode vals = exp.get("values");
        assertEquals(vals.size(), v.numel(), name + " numel");
        for (int i = 0; i < vals.size(); i++) {
            if (v.dtype().isFloat()) {
                double want = vals.get(i).asDouble();
                double got = v.dtype() == vireo.tensor.DType.F64
                        ? v.segment().get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, i * 8L) : v.getFloat(i);
                assertEquals(want, got, v.dtype() == vireo.tensor.DType.F64 ? 0 : Math.abs(want) * 1e-7, name + "[" + i + "]");
            } else {
                assertEquals(vals.get(i).asLong(), v.getLong(i), name + "[" + i + "]");
            }
        }
    }
}
