package vireo.tpc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.io.InvalidFileException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class BcaeVsFileTest {
    static KeptVoxels randomCode(long seed, double density) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] idx = r.ints(0, Wedge.VOXELS).filter(i -> true).limit((long) (Wedge.VOXELS * density)).sorted().distinct().toArray();
        short[] v = new short[idx.length];
        for (int i = 0; i < v.length; i++) v[i] = Float.floatToFloat16((float) r.nextDouble(0.5, 1.0));
        return new KeptVoxels(idx, v);
    }

    static BcaeVsFile sample() {
        // edge cases: first and last voxel, an empty wedge
        KeptVoxels edges = new KeptVoxels(new int[]{0, 1, 2, Wedge.VOXELS - 1}, new short[]{1, 2, 3, 4});
        return new BcaeVsFile("0123456789abcdef", new Gate.Random(42), List.of(randomCode(1, 0.013), edges, new KeptVoxels(new int[0], new short[0])));
    }

    @Test
    void roundTripsExactly() {
        BcaeVsFile f = sample();
        BcaeVsFile g = BcaeVsFile.parse(Path.of("x"), f.toBytes());
        assertEquals(f.modelIdentity(), g.modelIdentity());
        assertEquals(f.gate(), g.gate());
        assertEquals(3, g.wedges().size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(f.wedges().get(i).index(), g.wedges().get(i).index());
            assertArrayEquals(f.wedges().get(i).value(), g.wedges().get(i).value());
        }
        BcaeVsFile t = new BcaeVsFile("0123456789abcdef", new Gate.Threshold(0.37), List.of());
        assertEquals(new Gate.Threshold(0.37), BcaeVsFile.parse(Path.of("x"), t.toBytes()).gate());
        assertEquals(new Gate.Random(44), new Gate.Random(42).forWedge(2));
        assertEquals(new Gate.Threshold(0.37), new Gate.Threshold(0.37).forWedge(5));
    }

    @Test
    void positionsCostFarLessThanTwentyBitsAtBcaeVsDensity() {
        // 1.3 % of voxels kept uniformly at random is the worst case for gap coding at this rate (entropy ≈ 7.7 bits)
        BcaeVsFile f = new BcaeVsFile("0123456789abcdef", new Gate.Random(1), List.of(randomCode(3, 0.013)));
        double bits = f.accounting().positionBitsPerPoint();
        assertTrue(bits < 9.5 && bits > 6, "bits per point " + bits);
    }

    @Test
    void everyTruncationAndManyBitFlipsAreRejectedWithOneLine() {
        byte[] b = sample().toBytes();
        for (int len = 0; len < b.length; len += Math.max(1, len / 8)) {
            byte[] cut = java.util.Arrays.copyOf(b, len);
            InvalidFileException e = assertThrows(InvalidFileException.class, () -> BcaeVsFile.parse(Path.of("f.bvs"), cut));
            assertTrue(e.getMessage().startsWith("f.bvs: ") && !e.getMessage().contains("\n"), e.getMessage());
        }
        SplittableRandom r = new SplittableRandom(5);
        for (int t = 0; t < 200; t++) {
            byte[] bad = b.clone();
            int i = r.nextInt(bad.length);
            bad[i] ^= (byte) (1 << r.nextInt(8));
            assertThrows(InvalidFileException.class, () -> BcaeVsFile.parse(Path.of("f.bvs"), bad));
        }
        byte[] other = "PK\u0003\u0004 not ours".getBytes();
        assertTrue(assertThrows(InvalidFileException.class, () -> BcaeVsFile.parse(Path.of("f.bvs"), other)).getMessage().contains("bad magic"));
    }

    @Test
    void atomicWriteLeavesNoTemporaryFiles(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("a.bvs");
        sample().write(out);
        sample().write(out); // overwrite
        assertEquals(1, Files.list(dir).count());
        assertEquals(3, BcaeVsFile.read(out).wedges().size());
    }

    @Test
    void aFileOnlyDecodesWithTheModelThatWroteIt() {
        BcaeVs a = BcaeVs.initialize(1), b = BcaeVs.initialize(2);
        assertNotEquals(a.identity(), b.identity());
        assertEquals(a.identity(), BcaeVs.initialize(1).identity());
        byte[] bytes = new BcaeVsFile(a.identity(), new Gate.Random(0), List.of(randomCode(2, 0.001))).toBytes();
        InvalidFileException e = assertThrows(InvalidFileException.class, () -> new BcaeVsCodec(b, new Gate.Random(0)).decode(bytes));
        assertTrue(e.getMessage().contains("written by BCAE-VS model " + a.identity()), e.getMessage());
    }

    /** Files written before the level change (zstd level 19 blocks) still read back to the same points and values. */
    @Test
    void readsBlocksWrittenAtTheOldZstdLevel() {
        KeptVoxels k = randomCode(7, 0.013);
        byte[] now = new BcaeVsFile("0123456789abcdef", new Gate.Random(3), List.of(k)).toBytes();
        byte[] pos = com.github.luben.zstd.Zstd.compress(BcaeVsFile.positions(k.index()), 19);
        byte[] val = com.github.luben.zstd.Zstd.compress(BcaeVsFile.bytePlanes(k.value()), 19);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32 + 12 + pos.length + val.length + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(now, 0, 32).putInt(k.size()).putInt(pos.length).putInt(val.length).put(pos).put(val);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        KeptVoxels g = BcaeVsFile.parse(Path.of("old"), b.array()).wedges().getFirst();
        assertArrayEquals(k.index(), g.index());
        assertArrayEquals(k.value(), g.value());
        assertTrue(now.length <= 1.02 * b.array().length, now.length + " bytes now vs " + b.array().length + " at level 19");
    }
}
