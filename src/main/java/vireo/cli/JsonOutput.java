package vireo.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;

/**
 * The Jackson mapper behind every {@code --json} of the CLI. JSON has no NaN or ∞ and Jackson would write them
 * as the strings "NaN" / "Infinity"; a number that is not finite (a lossless codec's PSNR, a ratio that does not
 * apply) is written as {@code null} instead, so every field is either a JSON number or null.
 */
final class JsonOutput {
    private JsonOutput() {}

    static ObjectMapper mapper() {
        SimpleModule finite = new SimpleModule("vireo-finite-numbers");
        finite.addSerializer(Double.class, new FiniteOrNull<>(Double.class));
        finite.addSerializer(Double.TYPE, new FiniteOrNull<>(Double.class));
        finite.addSerializer(Float.class, new FiniteOrNull<>(Float.class));
        finite.addSerializer(Float.TYPE, new FiniteOrNull<>(Float.class));
        return new ObjectMapper().registerModule(finite);
    }

    private static final class FiniteOrNull<T extends Number> extends StdSerializer<T> {
        @SuppressWarnings({"unchecked", "rawtypes"})
        FiniteOrNull(Class<?> type) { super((Class) type); }

        @Override
        public void serialize(T v, JsonGenerator g, SerializerProvider p) throws IOException {
            double d = v.doubleValue();
            if (!Double.isFinite(d)) g.writeNull();
            else if (v instanceof Float f) g.writeNumber(f);
            else g.writeNumber(d);
        }
    }
}
