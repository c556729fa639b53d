package vireo.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A PyTorch reference case written by tools/fixtures/make_core_fixtures.py: named float32 tensors (raw
 * little-endian, concatenated in the order the JSON lists them) plus the op's parameters.
 */
public record Fixture(String name, JsonNode params, Map<String, Tensor> tensors) {

    public static Fixture load(String name) {
        try (InputStream js = Fixture.class.getResourceAsStream("/fixtures/core/" + name + ".json");
             InputStream bin = Fixture.class.getResourceAsStream("/fixtures/core/" + name + ".bin")) {
            if (js == null || bin == null) throw new IllegalStateException("missing fixture " + name);
            JsonNode meta = new ObjectMapper().readTree(js);
            ByteBuffer buf = ByteBuffer.wrap(bin.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (JsonNode t : meta.get("tensors")) {
                int[] shape = new int[t.get("shape").size()];
                for (int i = 0; i < shape.length; i++) shape[i] = t.get("shape").get(i).asInt();
                Tensor x = Tensor.zeros(shape);
                for (int i = 0; i < x.size(); i++) x.data[i] = buf.getFloat();
                tensors.put(t.get("name").asText(), x);
            }
            if (buf.hasRemaining()) throw new IllegalStateException("fixture " + name + " has trailing bytes");
            return new Fixture(name, meta.get("params"), tensors);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh copy of tensor {@code key} (trainable, so tests can backprop into it). */
    public Tensor leaf(String key) { return get(key).detach().requiresGrad(true); }

    public Tensor get(String key) {
        Tensor t = tensors.get(key);
        if (t == null) throw new IllegalArgumentException(name + " has no tensor " + key);
        return t;
    }

    public int[] ints(String param) {
        JsonNode a = params.get(param);
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).asInt();
        return v;
    }

    public int[] intValues(String key) {
        float[] d = get(key).data;
        int[] v = new int[d.length];
        for (int i = 0; i < d.length; i++) v[i] = Math.round(d[i]);
        return v;
    }

    /** Backprops Σ y·r with this fixture's r (tensor {@code rKey}). */
    public void backwardWith(Tensor y, String rKey) {
        Tensor r = get(rKey);
        assertArrayEquals(r.shape, y.shape, name + ": output shape");
        double s = 0;
        for (int i = 0; i < y.size(); i++) s += (double) y.data[i] * r.data[i];
        Tensor loss = Tensor.record(Tensor.scalar((float) s), "weightedSum", () -> {
            float[] d = r.data.clone();
            y.accumulate(d);
        }, y);
        loss.backward();
    }

    /** Asserts |actual − expected| ≤ atol + rtol·|expected| elementwise, with matching shapes. */
    public void assertClose(String key, Tensor actual, double atol, double rtol) {
        Tensor e = get(key);
        assertArrayEquals(e.shape, actual.shape, name + "." + key + " shape");
        assertClose(key, actual.data, atol, rtol);
    }

    public void assertClose(String key, float[] actual, double atol, double rtol) {
        Tensor e = get(key);
        if (actual == null) fail(name + "." + key + ": no gradient computed");
        assertEquals(e.size(), actual.length, name + "." + key + " size");
        for (int i = 0; i < actual.length; i++)
            if (!(Math.abs(actual[i] - e.data[i]) <= atol + rtol * Math.abs(e.data[i])))
                fail(name + "." + key + "[" + i + "] = " + actual[i] + ", torch says " + e.data[i]
                        + " (shape " + Arrays.toString(e.shape) + ")");
    }
}
