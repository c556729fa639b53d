package vireo.tpc;

import com.github.luben.zstd.Zstd;
import vireo.io.InvalidFileException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The BCAE-VS compressed file (".bvs"), version 1. All integers little-endian.
 *
 * <pre>
 * offset size  field
 * 0      4     magic "VBVS"
 * 4      1     version = 1
 * 5      2     azimuth bins (192)      \
 * 7      2     z bins (249)             } wedge geometry; voxel index = (a·Z + z)·L + l
 * 9      2     layers (16)             /
 * 11     8     model identity: first 8 bytes of SHA-256 over the checkpoint tensors ({@link BcaeVs#identity()})
 * 19     1     gate kind: 0 = seeded Bernoulli, 1 = fixed threshold
 * 20     8     gate parameter: seed (int64; wedge i was drawn with seed + i) or threshold (float64 bits)
 * 28     4     wedge count W
 * then W wedge records:
 *        4     kept voxels n
 *        4     P = byte length of the positions block
 *        4     V = byte length of the values block
 *        P     zstd( LEB128 varints of gaps ): sorted voxel indices i_0 < i_1 < …, gap_0 = i_0, gap_k = i_k − i_{k−1} − 1
 *        V     zstd( the n float16 code values split into byte planes: all high bytes, then all low bytes )
 * end    4     CRC-32 (java.util.zip.CRC32, = zlib crc32) of every preceding byte of the file
 * </pre>
 * The float16 values are exactly the decoder's input; the reconstruction depends only on them, their positions and
 * the model, so the identity is checked before decoding.
 */
public record BcaeVsFile(String modelIdentity, Gate gate, List<KeptVoxels> wedges) {
    public static final byte[] MAGIC = {'V', 'B', 'V', 'S'};
    public static final int VERSION = 1;
    /**
     * zstd level of both blocks. Level 6 instead of 19: on the sample wedge (seeded gate, model_last.pth) the file is
     * 24,127 bytes instead of 23,887 (+1.0 %, inside the 2 % budget) and the two zstd calls take 0.43 ms
     * instead of 9.6 ms; the decoder reads either (the level is not part of the format, so VERSION stays 1).
     */
    private static final int ZSTD_LEVEL = 6;

    /** Size in bytes of each part of a wedge record (for bits-per-point accounting). */
    public record Sizes(long header, long positions, long values, long total) {}

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = le(28 + 4);
        h.put(MAGIC).put((byte) VERSION).putShort((short) Wedge.AZIMUTH).putShort((short) Wedge.Z).putShort((short) Wedge.LAYERS);
        h.put(HexFormat.of().parseHex(modelIdentity));
        switch (gate) {
            case Gate.Random r -> h.put((byte) 0).putLong(r.seed());
            case Gate.Threshold t -> h.put((byte) 1).putLong(Double.doubleToLongBits(t.t()));
        }
        h.putInt(wedges.size());
        out.writeBytes(h.array());
        for (KeptVoxels k : wedges) {
            byte[] pos = Zstd.compress(positions(k.index()), ZSTD_LEVEL);
            byte[] val = Zstd.compress(bytePlanes(k.value()), ZSTD_LEVEL);
            out.writeBytes(le(12).putInt(k.size()).putInt(pos.length).putInt(val.length).array());
            out.writeBytes(pos);
            out.writeBytes(val);
        }
        CRC32 crc = new CRC32();
        byte[] body = out.toByteArray();
        crc.update(body);
        out.writeBytes(le(4).putInt((int) crc.getValue()).array());
        return out.toByteArray();
    }

    /** Writes atomically: a temporary file beside {@code path}, then a rename; no partial file on failure. */
    public void write(Path path) throws IOException { writeAtomically(path, toBytes()); }

    public static void writeAtomically(Path path, byte[] bytes) throws IOException { vireo.io.OutputFile.write(path, bytes); }

    public static BcaeVsFile read(Path path) {
        byte[] b;
        vireo.io.InputFile.requireRegular(path);
        try {
            b = Files.readAllBytes(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidFileException(path, "no such file");
        } catch (IOException e) {
            throw new InvalidFileException(path, "cannot read: " + e.getMessage());
        }
        return parse(path, b);
    }

    /** Parses file bytes; {@code source} only names the input in error messages. */
    public static BcaeVsFile parse(Path source, byte[] b) {
        if (b.length < 4 || b[0] != MAGIC[0] || b[1] != MAGIC[1] || b[2] != MAGIC[2] || b[3] != MAGIC[3])
            throw new InvalidFileException(source, "not a BCAE-VS compressed file (bad magic)");
        if (b.length < 36) throw new InvalidFileException(source, "truncated BCAE-VS file (" + b.length + " bytes)");
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int version = b[4] & 0xff;
        if (version != VERSION) throw new InvalidFileException(source, "unsupported BCAE-VS file version " + version);
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        if ((int) crc.getValue() != bb.getInt(b.length - 4))
            throw new InvalidFileException(source, "corrupted or truncated BCAE-VS file (CRC-32 mismatch)");
        int a = bb.getShort(5), z = bb.getShort(7), l = bb.getShort(9);
        if (a != Wedge.AZIMUTH || z != Wedge.Z || l != Wedge.LAYERS)
            throw new InvalidFileException(source, "wedge geometry " + a + "x" + z + "x" + l + " is not 192x249x16");
        String id = HexFormat.of().formatHex(b, 11, 19);
        int kind = b[19];
        long param = bb.getLong(20);
        Gate gate = switch (kind) {
            case 0 -> new Gate.Random(param);
            case 1 -> new Gate.Threshold(Double.longBitsToDouble(param));
            default -> throw new InvalidFileException(source, "unknown gate kind " + kind);
        };
        int count = bb.getInt(28);
        int at = 32, end = b.length - 4;
        if (count < 0 || count > (end - at) / 12) throw new InvalidFileException(source, "bad wedge count " + count);
        List<KeptVoxels> wedges = new ArrayList<>(count);
        for (int w = 0; w < count; w++) {
            if (at + 12 > end) throw new InvalidFileException(source, "truncated wedge record " + w);
            int n = bb.getInt(at), p = bb.getInt(at + 4), v = bb.getInt(at + 8);
            at += 12;
            if (n < 0 || n > Wedge.VOXELS || p < 0 || v < 0 || (long) at + p + v > end)
                throw new InvalidFileException(source, "wedge record " + w + " has inconsistent sizes");
            try {
                int[] idx = fromPositions(Zstd.decompress(java.util.Arrays.copyOfRange(b, at, at + p), 5 * n), n);
                short[] val = fromBytePlanes(Zstd.decompress(java.util.Arrays.copyOfRange(b, at + p, at + p + v), 2 * n), n);
                wedges.add(new KeptVoxels(idx, val));
            } catch (RuntimeException e) {
                throw new InvalidFileException(source, "wedge record " + w + " does not decode (" + e.getMessage() + ")");
            }
            at += p + v;
        }
        if (at != end) throw new InvalidFileException(source, (end - at) + " unexpected bytes after the last wedge");
        return new BcaeVsFile(id, gate, wedges);
    }

    /** Bytes spent on positions and values over all wedges, and kept points, for bits-per-point reports. */
    public record Accounting(long points, long positionBytes, long valueBytes, long fileBytes) {
        public double positionBitsPerPoint() { return points == 0 ? 0 : 8.0 * positionBytes / points; }
        public double valueBitsPerPoint() { return points == 0 ? 0 : 8.0 * valueBytes / points; }
    }

    public Accounting accounting() {
        long pts = 0, pb = 0, vb = 0;
        for (KeptVoxels k : wedges) {
            pts += k.size();
            pb += Zstd.compress(positions(k.index()), ZSTD_LEVEL).length;
            vb += Zstd.compress(bytePlanes(k.value()), ZSTD_LEVEL).length;
        }
        return new Accounting(pts, pb, vb, toBytes().length);
    }

    static byte[] positions(int[] idx) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(idx.length * 2);
        int prev = -1;
        for (int i : idx) {
            int gap = i - prev - 1;
            prev = i;
            while ((gap & ~0x7f) != 0) {
                o.write((gap & 0x7f) | 0x80);
                gap >>>= 7;
            }
            o.write(gap);
        }
        return o.toByteArray();
    }

    static int[] fromPositions(byte[] b, int n) {
        int[] idx = new int[n];
        int at = 0, prev = -1;
        for (int k = 0; k < n; k++) {
            int gap = 0, shift = 0;
            while (true) {
                if (at >= b.length) throw new IllegalArgumentException("positions end early");
                int v = b[at++] & 0xff;
                gap |= (v & 0x7f) << shift;
                if ((v & 0x80) == 0) break;
                shift += 7;
                if (shift > 28) throw new IllegalArgumentException("varint too long");
            }
            prev = prev + 1 + gap;
            if (gap < 0 || prev >= Wedge.VOXELS) throw new IllegalArgumentException("voxel index out of range");
            idx[k] = prev;
        }
        if (at != b.length) throw new IllegalArgumentException("extra bytes after positions");
        return idx;
    }

    static byte[] bytePlanes(short[] v) {
        byte[] b = new byte[2 * v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) (v[i] >>> 8);
            b[v.length + i] = (byte) v[i];
        }
        return b;
    }

    static short[] fromBytePlanes(byte[] b, int n) {
        if (b.length != 2 * n) throw new IllegalArgumentException("expected " + 2 * n + " value bytes, got " + b.length);
        short[] v = new short[n];
        for (int i = 0; i < n; i++) v[i] = (short) (((b[i] & 0xff) << 8) | (b[n + i] & 0xff));
        return v;
    }

    private static ByteBuffer le(int n) { return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN); }
}
