package vireo.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.tensor.DType;
import vireo.tensor.TensorView;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SafeTensorsTest {
    @TempDir Path tmp;

    @Test
    void readsEveryDtypeWrittenByTheReferenceLibrary() {
        try (TensorFile f = SafeTensors.read(IoFixtures.path("dtypes.safetensors"))) {
            IoFixtures.assertTensors(IoFixtures.json("dtypes.safetensors.json"), f.tensors());
            assertEquals(Map.of("format", "pt", "note", "vireo fixture"), f.metadata());
            assertEquals("safetensors", f.format());
            assertTrue(f.get("f32").segment().isMapped(), "views are memory-mapped, not copied");
        }
    }

    @Test
    void readsShardedCheckpointFromFolderOrIndex() {
        var exp = IoFixtures.json("sharded.json");
        Path dir = IoFixtures.path("sharded");
        Path dotted = dir.resolve("..").resolve("sharded").resolve("model.safetensors.index.json");
        for (Path p : List.of(dir, dir.resolve("model.safetensors.index.json"), dotted)) {
            try (TensorFile f = SafeTensors.readSharded(p)) {
                IoFixtures.assertTensors(exp, f.tensors());
                assertEquals(List.of("embed.weight", "layers.0.w", "layers.1.w", "norm.weight"), List.copyOf(f.tensors().keySet()));
                assertEquals("114", f.metadata().get("total_size"));
                assertEquals("pt", f.metadata().get("format"));
            }
        }
    }

    @Test
    void shardedIndexNamingAMissingTensorFails() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("m"));
        for (String s : List.of("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"))
            Files.copy(IoFixtures.path("sharded/" + s), dir.resolve(s));
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"weight_map\": {\"embed.weight\": \"model-00001-of-00002.safetensors\", \"ghost\": \"model-00002-of-00002.safetensors\"}}");
        var e = assertThrows(InvalidFileException.class, () -> SafeTensors.readSharded(dir));
        assertTrue(e.getMessage().contains("'ghost'"), e.getMessage());
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"weight_map\": {\"x\": \"../escape.safetensors\"}}");
        e = assertThrows(InvalidFileException.class, () -> SafeTensors.readSharded(dir));
        assertTrue(e.getMessage().contains("outside the folder"), e.getMessage());
    }

    @Test
    void writeThenReadKeepsBytesOrderAndMetadata() throws IOException {
        var tensors = new LinkedHashMap<String, TensorView>();
        tensors.put("b", TensorView.ofFloats(new float[]{1, 2, 3, 4, 5, 6}, 2, 3));
        tensors.put("a", new TensorView(DType.I8, new int[]{3}, MemorySegment.ofArray(new byte[]{-1, 0, 7})));
        tensors.put("s", TensorView.ofFloats(new float[]{9}));
        Path p = tmp.resolve("out.safetensors");
        SafeTensors.write(p, tensors, Map.of("k", "v"));
        try (TensorFile f = SafeTensors.read(p)) {
            assertEquals(List.of("b", "a", "s"), List.copyOf(f.tensors().keySet()));
            assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, f.get("b").toFloatArray());
            assertArrayEquals(new int[]{2, 3}, f.get("b").shape());
            assertEquals(-1, f.get("a").getLong(0));
            assertEquals(0, f.get("s").rank());
            assertEquals(Map.of("k", "v"), f.metadata());
        }
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(p), files.toList(), "no temp file left behind");
        }
        // data section starts 8-byte aligned, header padded with spaces
        long n = ByteBuffer.wrap(readBytes(p), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
    }

    @Test
    void writesViewsOverNonByteHeapArrays() throws IOException {
        // a segment over a float[] cannot become a ByteBuffer directly; the writer must still copy it right
        var v = new TensorView(DType.F32, new int[]{3}, MemorySegment.ofArray(new float[]{1.5f, -2f, 3.25f}));
        Path st = tmp.resolve("f.safetensors"), npy = tmp.resolve("f.npy");
        SafeTensors.write(st, Map.of("v", v), Map.of());
        Npy.write(npy, v);
        try (TensorFile f = SafeTensors.read(st)) {
            assertArrayEquals(new float[]{1.5f, -2f, 3.25f}, f.get("v").toFloatArray());
        }
        assertArrayEquals(new float[]{1.5f, -2f, 3.25f}, Npy.read(npy).toFloatArray());
    }

    private static byte[] readBytes(Path p) {
        try { return Files.readAllBytes(p); } catch (IOException e) { throw new AssertionError(e); }
    }

    // ---- bad input ----

    private Path file(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = tmp.resolve("bad" + System.nanoTime() + ".safetensors");
        Files.write(p, b.array());
        return p;
    }

    private void assertBad(Path p, String fragment) {
        var e = assertThrows(InvalidFileException.class, () -> SafeTensors.read(p).close());
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void rejectsTruncatedAndWrongMagic() throws IOException {
        Path good = IoFixtures.path("dtypes.safetensors");
        byte[] all = Files.readAllBytes(good);
        Path trunc = tmp.resolve("trunc.safetensors");
        Files.write(trunc, Arrays.copyOf(all, all.length - 10));
        assertBad(trunc, "outside the");
        Path tiny = tmp.resolve("tiny.safetensors");
        Files.write(tiny, new byte[]{1, 2, 3});
        assertBad(tiny, "too short");
        Path headOnly = tmp.resolve("head.safetensors");
        Files.write(headOnly, Arrays.copyOf(all, 40));
        assertBad(headOnly, "header length");
        Path npy = IoFixtures.path("npy/f4.npy");
        assertBad(npy, "header length");
        assertBad(file("[1,2]", 0), "does not start with '{'");
        assertBad(file("{not json}", 0), "not valid JSON");
    }

    @Test
    void rejectsAbsurdHeaderLengthWithoutAllocating() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(Long.MAX_VALUE - 3).put("{}      ".getBytes(StandardCharsets.US_ASCII));
        Path p = tmp.resolve("huge.safetensors");
        Files.write(p, b.array());
        assertBad(p, "header length");
        b.putLong(0, -1L);
        Files.write(p, b.array());
        assertBad(p, "header length 18446744073709551615");
    }

    @Test
    void rejectsHeadersLyingAboutData() throws IOException {
        assertBad(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4), "outside the 4-byte data section");
        assertBad(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "needs 12 bytes but data_offsets span 8");
        assertBad(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlap");
        assertBad(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8), "data_offsets [8, 0]");
        assertBad(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8), "bad shape");
        assertBad(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536,65536,65536],\"data_offsets\":[0,8]}}", 8), "too large");
        assertBad(file("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2), "unsupported dtype F8_E4M3");
        assertBad(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "not valid JSON");
        assertBad(file("{\"__metadata__\":{\"x\":1}}", 0), "not a string");
        assertBad(file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "missing dtype");
    }

    @Test
    void missingFileIsInvalidFile() {
        var e = assertThrows(InvalidFileException.class, () -> SafeTensors.read(tmp.resolve("nope.safetensors")));
        assertTrue(e.getMessage().endsWith("no such file"));
    }

    @Test
    void failedWriteLeavesNoFile() {
        var tensors = Map.of("x", TensorView.ofFloats(new float[]{1}, 1));
        Path p = tmp.resolve("no/such/dir/out.safetensors");
        assertThrows(InvalidFileException.class, () -> SafeTensors.write(p, tensors, Map.of()));
        assertFalse(Files.exists(p));
    }
}
