package vireo.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.tensor.DType;
import vireo.tensor.TensorView;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class NpyTest {
    @TempDir Path tmp;

    @Test
    void readsEveryDtypeNumpyWrote() {
        var exp = IoFixtures.json("npy.json");
        int n = 0;
        for (var it = exp.fields(); it.hasNext(); n++) {
            var e = it.next();
            TensorView v = Npy.read(IoFixtures.path("npy/" + e.getKey() + ".npy"));
            IoFixtures.assertView(e.getKey(), e.getValue(), v);
            assertEquals(e.getValue().get("dtype").asText().replace('=', '<'), Npy.descrOf(v.dtype()));
        }
        assertEquals(11, n);
    }

    @Test
    void readsVersion2And3Headers() {
        var exp = IoFixtures.json("npy.json").get("f4");
        for (String f : new String[]{"f4_v2.npy", "f4_v3.npy"})
            IoFixtures.assertView(f, exp, Npy.read(IoFixtures.path("npy/" + f)));
    }

    @Test
    void readsTheSharedTpcSample() {
        TensorView v = Npy.read(vireo.SharedData.require("data/tpc/auau_sample.npy"));
        assertEquals(DType.U16, v.dtype());
        assertArrayEquals(new int[]{192, 249, 16}, v.shape());
        long sum = 0;
        for (long i = 0; i < v.numel(); i++) sum += v.getLong(i);
        assertEquals(7_789_458L, sum, "numpy: a.astype(np.int64).sum()");
        assertTrue(v.segment().isMapped());
    }

    @Test
    void openNamesTheTensorAfterTheFile() {
        try (TensorFile f = Npy.open(IoFixtures.path("npy/i8.npy"))) {
            assertEquals(java.util.List.of("i8"), java.util.List.copyOf(f.tensors().keySet()));
            assertEquals(DType.I64, f.get("i8").dtype());
        }
    }

    @Test
    void writesTheSameBytesAsNumpy() throws IOException {
        // np.save writes a v1.0 header padded to 64 bytes; ours must be byte-identical for the same array
        for (String name : new String[]{"f4", "u2", "i8", "b1", "scalar", "u1", "f8"}) {
            Path src = IoFixtures.path("npy/" + name + ".npy");
            TensorView v = Npy.read(src);
            Path out = tmp.resolve(name + ".npy");
            Npy.write(out, v);
            assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out), name);
        }
    }

    @Test
    void rejectsFortranBigEndianAndExoticDtypes() {
        assertBad(IoFixtures.path("npy/fortran.npy"), "Fortran-ordered");
        assertBad(IoFixtures.path("npy/bigendian.npy"), "big-endian");
        assertBad(IoFixtures.path("npy/complex.npy"), "unsupported .npy dtype '<c8'");
    }

    @Test
    void rejectsCorruptFiles() throws IOException {
        byte[] good = Files.readAllBytes(IoFixtures.path("npy/f4.npy"));
        assertBad(write("trunc", Arrays.copyOf(good, good.length - 4)), "needs 96 data bytes but the file has 92 (truncated?)");
        byte[] extra = Arrays.copyOf(good, good.length + 4);
        assertBad(write("extra", extra), "needs 96 data bytes but the file has 100");
        byte[] magic = good.clone();
        magic[1] = 'X';
        assertBad(write("magic", magic), "wrong magic");
        assertBad(write("short", Arrays.copyOf(good, 7)), "only 7 bytes");
        byte[] hlen = good.clone();
        hlen[8] = (byte) 0xff;
        hlen[9] = (byte) 0xff;
        assertBad(write("hlen", hlen), "runs past the end");
        byte[] v2 = new byte[good.length + 2];
        System.arraycopy(good, 0, v2, 0, 8);
        v2[6] = 2;
        v2[8] = v2[9] = v2[10] = v2[11] = (byte) 0xff; // 4 GiB header in a tiny file
        assertBad(write("v2hlen", v2), "header length 4294967295 runs past the end");
        byte[] v9 = good.clone();
        v9[6] = 9;
        assertBad(write("v9", v9), "unsupported .npy version 9.0");
        assertBad(header("{'descr': '<f4', 'fortran_order': False, 'shape': (3, -4), }", 0), "bad .npy shape");
        assertBad(header("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000, 100000, 100000), }", 0), "too large");
        assertBad(header("{'descr': '<f4', 'fortran_order': False }", 0), "no shape");
        assertBad(header("{'descr': '<f4', 'fortran_order': False, 'shape': (2,", 0), "malformed .npy header");
        assertBad(header("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", 8), "structured");
        assertBad(header("((((((((((((((((((((((((((((((((", 0), "nested too deeply");
    }

    @Test
    void refusesToWriteBf16() {
        var v = new TensorView(DType.BF16, new int[]{1}, MemorySegment.ofArray(new byte[2]));
        assertThrows(IllegalArgumentException.class, () -> Npy.write(tmp.resolve("x.npy"), v));
        assertFalse(Files.exists(tmp.resolve("x.npy")));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name + ".npy");
        Files.write(p, bytes);
        return p;
    }

    private Path header(String dict, int dataBytes) throws IOException {
        byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[10 + h.length + dataBytes];
        System.arraycopy(Npy.MAGIC, 0, all, 0, 6);
        all[6] = 1;
        all[8] = (byte) h.length;
        all[9] = (byte) (h.length >> 8);
        System.arraycopy(h, 0, all, 10, h.length);
        return write("h" + System.nanoTime(), all);
    }

    private static void assertBad(Path p, String fragment) {
        var e = assertThrows(InvalidFileException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
