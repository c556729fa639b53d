package vireo.io;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.SharedData;
import vireo.tensor.DType;
import vireo.tensor.TensorView;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** Checkpoints written by torch.save (tools/fixtures/make_io_fixtures.py) against values torch printed. */
class TorchCheckpointTest {
    @TempDir Path tmp;

    private static void check(String file, String json) {
        try (TensorFile f = TorchCheckpoint.read(IoFixtures.path(file))) {
            assertEquals("pytorch", f.format());
            IoFixtures.assertTensors(IoFixtures.json(json), f.tensors());
        }
    }

    @Test
    void readsEveryDtype() { check("dtypes.pt", "dtypes.pt.json"); }

    @Test
    void readsOrderedDictStateDictWithBatchNormCounters() {
        check("ordered.pt", "ordered.pt.json");
        try (TensorFile f = TorchCheckpoint.read(IoFixtures.path("ordered.pt"))) {
            TensorView n = f.get("1.num_batches_tracked");
            assertEquals(DType.I64, n.dtype());
            assertEquals(0, n.rank());
            assertEquals(1, n.getLong(0));
            assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"),
                    List.copyOf(f.tensors().keySet()), "state_dict order kept");
        }
    }

    @Test
    void readsParameters() { check("params.pt", "params.pt.json"); }

    @Test
    void flattensNestedDictsAndKeepsScalarsAsMetadata() {
        JsonNode exp = IoFixtures.json("nested.pt.json");
        try (TensorFile f = TorchCheckpoint.read(IoFixtures.path("nested.pt"))) {
            IoFixtures.assertTensors(exp.get("tensors"), f.tensors());
            var want = new java.util.HashMap<String, String>();
            exp.get("metadata").fields().forEachRemaining(e -> want.put(e.getKey(), e.getValue().asText()));
            assertEquals(want, f.metadata());
        }
    }

    @Test
    void stridedSharedAndZeroDimTensors() {
        check("views.pt", "views.pt.json");
        try (TensorFile f = TorchCheckpoint.read(IoFixtures.path("views.pt"))) {
            // contiguous tensors are slices of the map; the two sharing one storage alias the same bytes
            assertTrue(f.get("shared_a").segment().isMapped());
            assertTrue(f.get("shared_b").segment().isMapped());
            assertEquals(f.get("shared_b").segment().address() - f.get("shared_a").segment().address(), 8 * 4);
            assertFalse(f.get("transposed").segment().isMapped(), "non-contiguous tensors are copied");
        }
    }

    @Test
    void protocol4PickleGivesTheSameTensors() { check("views_proto4.pt", "views.pt.json"); }

    @Test
    void bcaeCheckpointMatchesTorch() {
        Path pth = SharedData.require("models/bcae-vs/model_last.pth");
        JsonNode exp = IoFixtures.json("bcae_model_last_summary.json");
        try (TensorFile f = TorchCheckpoint.read(pth)) {
            assertEquals(121, f.tensors().size());
            assertEquals(List.copyOf(iterable(exp)), List.copyOf(f.tensors().keySet()));
            assertArrayEquals(new int[]{27, 1, 2}, f.get("encoder.model.0.kernel").shape());
            assertArrayEquals(new int[]{27, 2, 2}, f.get("encoder.model.2.kernel").shape());
            assertArrayEquals(new int[]{2, 2}, f.get("encoder.model.8.kernel").shape());
            assertArrayEquals(new int[]{16, 1, 3, 3, 3}, f.get("decoder.reg.model.0.weight").shape());
            for (var it = exp.fields(); it.hasNext(); ) {
                var e = it.next();
                TensorView v = f.get(e.getKey());
                assertEquals(e.getValue().get("dtype").asText(), v.dtype().name(), e.getKey());
                assertArrayEquals(IoFixtures.shape(e.getValue().get("shape")), v.shape(), e.getKey());
                double sum = 0;
                for (long i = 0; i < v.numel(); i++) sum += v.dtype() == DType.I64 ? v.getLong(i) : v.getFloat(i);
                double want = e.getValue().get("sum").asDouble();
                assertEquals(want, sum, 1e-9 * Math.max(1, Math.abs(want)) + 1e-12 * v.numel(), e.getKey() + " sum");
                JsonNode first = e.getValue().get("first");
                for (int i = 0; i < first.size(); i++) assertEquals(first.get(i).asDouble(), v.getFloat(i), 0, e.getKey() + "[" + i + "]");
            }
        }
    }

    private static List<String> iterable(JsonNode n) {
        var l = new java.util.ArrayList<String>();
        n.fieldNames().forEachRemaining(l::add);
        return l;
    }

    // ---- bad input ----

    private static void assertBad(Path p, String fragment) {
        var e = assertThrows(InvalidFileException.class, () -> TorchCheckpoint.read(p).close());
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void rejectsUnsupportedGlobalLegacyFormatAndNonZip() throws IOException {
        assertBad(IoFixtures.path("badglobal.pt"), "unsupported global datetime.date");
        assertBad(IoFixtures.path("complex.pt"), "unsupported global torch.ComplexFloatStorage");
        assertBad(IoFixtures.path("legacy.pt"), "legacy (pre-1.6");
        assertBad(IoFixtures.path("npy/f4.npy"), "no zip signature");
        Path empty = Files.write(tmp.resolve("empty.pt"), new byte[0]);
        assertBad(empty, "no zip signature");
    }

    @Test
    void rejectsTruncatedFiles() throws IOException {
        byte[] all = Files.readAllBytes(IoFixtures.path("dtypes.pt"));
        for (int cut : new int[]{10, 100, all.length / 2, all.length - 30}) {
            Path p = Files.write(tmp.resolve("cut" + cut + ".pt"), Arrays.copyOf(all, cut));
            assertBad(p, "zip");
        }
    }

    /** Rewrites a fixture's zip with one entry replaced (stored, like torch.save), to build lying checkpoints. */
    private Path rezip(String fixture, String suffix, byte[] replacement) throws IOException {
        return rezip(fixture, suffix, replacement, ZipEntry.STORED);
    }

    private Path rezip(String fixture, String suffix, byte[] replacement, int method) throws IOException {
        Path out = tmp.resolve(fixture.replace('/', '_') + "-" + suffix.replace('/', '_') + "-" + System.nanoTime() + ".pt");
        var bytes = new ByteArrayOutputStream();
        try (var in = new ZipFile(IoFixtures.path(fixture).toFile());
             var z = new ZipOutputStream(bytes)) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] data = in.getInputStream(e).readAllBytes();
                if (e.getName().endsWith(suffix)) data = replacement;
                var ne = new ZipEntry(e.getName());
                ne.setMethod(method);
                ne.setSize(data.length);
                var crc = new java.util.zip.CRC32();
                crc.update(data);
                ne.setCrc(crc.getValue());
                z.putNextEntry(ne);
                z.write(data);
                z.closeEntry();
            }
        }
        Files.write(out, bytes.toByteArray());
        return out;
    }

    private byte[] entry(String fixture, String suffix) throws IOException {
        try (var in = new ZipFile(IoFixtures.path(fixture).toFile())) {
            for (ZipEntry e : java.util.Collections.list(in.entries()))
                if (e.getName().endsWith(suffix)) return in.getInputStream(e).readAllBytes();
        }
        throw new AssertionError(suffix);
    }

    @Test
    void rezippedCopyStillReads() throws IOException {
        // the rewriting helper itself must produce a valid checkpoint, or the tests below prove nothing
        Path p = rezip("views.pt", "byteorder", "little".getBytes());
        try (TensorFile f = TorchCheckpoint.read(p)) {
            IoFixtures.assertTensors(IoFixtures.json("views.pt.json"), f.tensors());
        }
    }

    @Test
    void deflatedEntriesAreInflated() throws IOException {
        // torch never compresses, but a checkpoint re-zipped by another tool may be
        Path p = rezip("views.pt", "no-such-entry", null, ZipEntry.DEFLATED);
        try (TensorFile f = TorchCheckpoint.read(p)) {
            IoFixtures.assertTensors(IoFixtures.json("views.pt.json"), f.tensors());
            assertFalse(f.get("shared_a").segment().isMapped());
        }
    }

    @Test
    void rejectsStorageSizeLies() throws IOException {
        byte[] storage = entry("views.pt", "data/0");
        assertBad(rezip("views.pt", "data/0", Arrays.copyOf(storage, storage.length - 4)), "storage 0 should hold 12 F32 (48 bytes) but its entry has 44 bytes");
        assertBad(rezip("views.pt", "byteorder", "big".getBytes()), "byte order is 'big'");
    }

    @Test
    void rejectsPickleLies() throws IOException {
        byte[] pkl = entry("views.pt", "data.pkl");
        // a storage whose persistent id claims 1000 elements: caught against the entry size
        byte[] bigger = pkl.clone();
        int at = indexOf(bigger, new byte[]{'c', 'p', 'u', 'q', 7, 'K', 12}); // ... 'cpu' BINPUT 7 BININT1 12
        assertTrue(at > 0);
        bigger[at + 6] = 13;
        assertBad(rezip("views.pt", "data.pkl", bigger), "should hold 13 F32");
        // a tensor reaching past its storage: transposed is size (4,3) stride (1,4) offset 0 → make offset 1
        byte[] offset = pkl.clone();
        int q = indexOf(offset, new byte[]{'Q', 'K', 0, 'K', 4, 'K', 3});
        assertTrue(q > 0);
        offset[q + 2] = 1;
        assertBad(rezip("views.pt", "data.pkl", offset), "tensor 'transposed': reaches element 12 of a 12-element storage");
        // truncated pickle, unknown opcode, missing storage entry
        assertBad(rezip("views.pt", "data.pkl", Arrays.copyOf(pkl, 100)), "pickle: ");
        byte[] op = pkl.clone();
        op[2] = (byte) 0xff;
        assertBad(rezip("views.pt", "data.pkl", op), "unsupported opcode 0xff at byte 2");
        byte[] ext = pkl.clone();
        ext[2] = 'i'; // INST: not in the supported set
        assertBad(rezip("views.pt", "data.pkl", ext), "unsupported opcode 0x69 ('i')");
    }

    @Test
    void rejectsAbsurdLengthsInPickleWithoutAllocating() throws IOException {
        // PROTO 2, BINUNICODE with length 0x7fffffff and no data
        byte[] p = {(byte) 0x80, 2, 'X', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f};
        assertBad(rezip("views.pt", "data.pkl", p), "length 2147483647 runs past the end of the pickle");
        byte[] g = {(byte) 0x80, 2, 'c', 'o', 's', '\n', 's', 'y', 's', 't', 'e', 'm', '\n', '.'};
        assertBad(rezip("views.pt", "data.pkl", g), "unsupported global os.system");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Test
    void missingFile() {
        var e = assertThrows(InvalidFileException.class, () -> TorchCheckpoint.read(tmp.resolve("none.pt")));
        assertTrue(e.getMessage().endsWith("no such file"));
    }


    // ---- issue 9: hostile pickles and zips, each a few bytes, each a one-line error instead of a crash ----

    private static byte[] pickle(String ops) { return ops.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1); }

    @Test
    void selfReferencingListIsRejected() throws IOException {
        // PROTO 2, EMPTY_LIST, BINPUT 0, BINGET 0, APPEND, STOP: a list that contains itself
        assertBad(rezip("views.pt", "data.pkl", pickle("\u0080\u0002]q\u0000h\u0000a.")), "refers to itself");
    }

    @Test
    void deepNestingIsRejectedWithoutStackOverflow() throws IOException {
        int n = 3000;
        assertBad(rezip("views.pt", "data.pkl", pickle("\u0080\u0002" + "]".repeat(n) + "a".repeat(n - 1) + ".")), "nests deeper than");
    }

    @Test
    void memoBillionLaughsIsRejectedQuickly() throws IOException {
        var b = new StringBuilder("\u0080\u0002]q\u00000");
        for (int i = 0; i < 20; i++) {
            b.append('(');
            for (int k = 0; k < 10; k++) b.append('h').append((char) i);
            b.append('t').append('q').append((char) (i + 1));
            if (i < 19) b.append('0');
        }
        b.append('.');
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> assertBad(rezip("views.pt", "data.pkl", pickle(b.toString())), "memo bomb"));
    }

    @Test
    void duplicateZipEntryIsAnError() throws IOException {
        Path p = tmp.resolve("dup.pt");
        var bytes = new ByteArrayOutputStream();
        String firstName = null;
        try (var in = new ZipFile(IoFixtures.path("views.pt").toFile()); var z = new ZipOutputStream(bytes)) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                if (firstName == null) firstName = e.getName();
                z.putNextEntry(new ZipEntry(e.getName()));
                z.write(in.getInputStream(e).readAllBytes());
                z.closeEntry();
            }
            // a last entry whose name differs from the first in one character; patched below to the same name
            z.putNextEntry(new ZipEntry(firstName.substring(0, firstName.length() - 1) + "#"));
            z.write(1);
            z.closeEntry();
        }
        byte[] all = bytes.toByteArray();
        String text = new String(all, java.nio.charset.StandardCharsets.ISO_8859_1);
        int cd = text.lastIndexOf("PK\u0001\u0002");
        all[cd + 46 + firstName.length() - 1] = (byte) firstName.charAt(firstName.length() - 1);
        Files.write(p, all);
        assertBad(p, "appears twice");
    }

    @Test
    void bitFlipInStoredWeightsFailsTheCrc() throws IOException {
        byte[] storage = entry("views.pt", "data/0");
        byte[] all = Files.readAllBytes(IoFixtures.path("views.pt"));
        int at = indexOf(all, Arrays.copyOf(storage, 16));
        org.junit.jupiter.api.Assumptions.assumeTrue(at >= 0, "storage is stored uncompressed");
        all[at + 5] ^= 0x10;
        Path p = tmp.resolve("flip.pt");
        Files.write(p, all);
        assertBad(p, "CRC");
    }
}
