package vireo.io;

import net.jqwik.api.*;
import net.jqwik.api.constraints.Size;
import vireo.tensor.DType;
import vireo.tensor.TensorView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Whatever the writers write, the readers give back byte for byte (dtype, shape, bytes, names, metadata). */
class RoundTripPropertyTest {

    record Spec(DType dtype, int[] shape, long seed) {
        TensorView view() {
            long n = TensorView.numel(shape);
            byte[] b = new byte[(int) n * dtype.bytes];
            new Random(seed).nextBytes(b);
            if (dtype == DType.BOOL) for (int i = 0; i < b.length; i++) b[i] &= 1;
            return new TensorView(dtype, shape, MemorySegment.ofArray(b));
        }
    }

    @Provide
    Arbitrary<Spec> specs() {
        Arbitrary<DType> dt = Arbitraries.of(DType.values());
        Arbitrary<int[]> shape = Arbitraries.integers().between(0, 5).list().ofMaxSize(4)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
        return Combinators.combine(dt, shape, Arbitraries.longs()).as(Spec::new);
    }

    @Property(tries = 60)
    void safetensorsRoundTrip(@ForAll @Size(max = 6) List<@From("specs") Spec> specs,
                              @ForAll Map<@From("names") String, @From("names") String> metadata) throws IOException {
        Path dir = Files.createTempDirectory("vireo-st");
        try {
            var tensors = new LinkedHashMap<String, TensorView>();
            for (int i = 0; i < specs.size(); i++) tensors.put("t" + i + ".w", specs.get(i).view());
            Path p = dir.resolve("x.safetensors");
            SafeTensors.write(p, tensors, metadata);
            try (TensorFile f = SafeTensors.read(p)) {
                assertEquals(List.copyOf(tensors.keySet()), List.copyOf(f.tensors().keySet()));
                for (var e : tensors.entrySet()) assertSame(e.getValue(), f.get(e.getKey()));
                assertEquals(metadata, f.metadata());
            }
        } finally {
            delete(dir);
        }
    }

    @Property(tries = 80)
    void npyRoundTrip(@ForAll("specs") Spec spec) throws IOException {
        Assume.that(spec.dtype() != DType.BF16);
        Path dir = Files.createTempDirectory("vireo-npy");
        try {
            Path p = dir.resolve("x.npy");
            TensorView v = spec.view();
            Npy.write(p, v);
            assertEquals(0, (Files.size(p) - v.segment().byteSize()) % 64, "data starts on a 64-byte boundary");
            assertSame(v, Npy.read(p));
        } finally {
            delete(dir);
        }
    }

    @Provide
    Arbitrary<String> names() { return Arbitraries.strings().ofMinLength(1).ofMaxLength(12); }

    static void assertSame(TensorView want, TensorView got) {
        assertEquals(want.dtype(), got.dtype());
        assertArrayEquals(want.shape(), got.shape());
        assertArrayEquals(want.segment().toArray(ValueLayout.JAVA_BYTE), got.segment().toArray(ValueLayout.JAVA_BYTE));
    }

    static void delete(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try { Files.delete(p); } catch (IOException e) { throw new UncheckedIOException(e); }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
