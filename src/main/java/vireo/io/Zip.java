package vireo.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Just enough of the zip format to find entries in a memory-mapped file and hand out their bytes without copying:
 * end-of-central-directory (zip64 too), central directory, local headers. Stored entries are slices of the map;
 * deflated ones (rare: a checkpoint re-zipped by hand) are inflated into {@code arena}.
 */
final class Zip {
    private Zip() {}

    record Entry(String name, int method, long compressedSize, long size, long localHeader, long crc) {}

    static final ValueLayout.OfShort U16 = Mapped.I16;

    static boolean hasSignature(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    /** All entries by name, in central-directory order. */
    static Map<String, Entry> entries(Path path, MemorySegment f) {
        long size = f.byteSize();
        long eocd = -1;
        for (long p = size - 22; p >= Math.max(0, size - 22 - 65535); p--) {
            if (f.get(Mapped.I32, p) == 0x06054b50) { eocd = p; break; }
        }
        if (eocd < 0) throw new InvalidFileException(path, "zip has no end-of-central-directory record (truncated?)");
        long count = u16(f, eocd + 10), cdSize = u32(f, eocd + 12), cdOffset = u32(f, eocd + 16);
        if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
            long loc = eocd - 20;
            if (loc < 0 || f.get(Mapped.I32, loc) != 0x07064b50) throw new InvalidFileException(path, "zip64 locator missing");
            long z = f.get(Mapped.I64, loc + 8);
            if (z < 0 || z > size - 56 || f.get(Mapped.I32, z) != 0x06064b50) throw new InvalidFileException(path, "zip64 end record missing");
            count = f.get(Mapped.I64, z + 32);
            cdSize = f.get(Mapped.I64, z + 40);
            cdOffset = f.get(Mapped.I64, z + 48);
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset > size || cdSize > size - cdOffset || count < 0 || count > cdSize / 46)
            throw new InvalidFileException(path, "zip central directory lies outside the file (truncated?)");
        var out = new LinkedHashMap<String, Entry>();
        long p = cdOffset, end = cdOffset + cdSize;
        for (long i = 0; i < count; i++) {
            if (p + 46 > end || f.get(Mapped.I32, p) != 0x02014b50) throw new InvalidFileException(path, "corrupt zip central directory");
            int flags = u16(f, p + 8), method = u16(f, p + 10);
            long crc = u32(f, p + 16), comp = u32(f, p + 20), unc = u32(f, p + 24), local = u32(f, p + 42);
            int nameLen = u16(f, p + 28), extraLen = u16(f, p + 30), commentLen = u16(f, p + 32);
            if (p + 46 + nameLen + extraLen + commentLen > end) throw new InvalidFileException(path, "corrupt zip central directory");
            String name = new String(f.asSlice(p + 46, nameLen).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            long x = p + 46 + nameLen, xEnd = x + extraLen;
            while (x + 4 <= xEnd) {
                int id = u16(f, x), len = u16(f, x + 2);
                if (id == 1) {
                    long q = x + 4, lim = Math.min(x + 4 + len, xEnd);
                    if (unc == 0xffffffffL && q + 8 <= lim) { unc = f.get(Mapped.I64, q); q += 8; }
                    if (comp == 0xffffffffL && q + 8 <= lim) { comp = f.get(Mapped.I64, q); q += 8; }
                    if (local == 0xffffffffL && q + 8 <= lim) { local = f.get(Mapped.I64, q); }
                }
                x += 4 + len;
            }
            if ((flags & 1) != 0) throw new InvalidFileException(path, "zip entry " + name + " is encrypted");
            if (out.put(name, new Entry(name, method, comp, unc, local, crc)) != null)
                throw new InvalidFileException(path, "zip entry " + name + " appears twice (which one is meant is ambiguous)");
            p += 46 + nameLen + extraLen + commentLen;
        }
        return out;
    }

    /** The entry's uncompressed bytes: a slice of the map when stored, an inflated copy otherwise. */
    static MemorySegment data(Path path, MemorySegment f, Entry e, Arena arena) {
        long size = f.byteSize();
        long h = e.localHeader();
        if (h < 0 || h > size - 30 || f.get(Mapped.I32, h) != 0x04034b50)
            throw new InvalidFileException(path, "zip entry " + e.name() + ": local header missing (truncated or corrupt)");
        long start = h + 30 + u16(f, h + 26) + u16(f, h + 28);
        if (e.compressedSize() < 0 || start > size || e.compressedSize() > size - start)
            throw new InvalidFileException(path, "zip entry " + e.name() + " runs past the end of the file (truncated?)");
        MemorySegment raw = f.asSlice(start, e.compressedSize());
        return switch (e.method()) {
            case 0 -> {
                if (e.size() != e.compressedSize())
                    throw new InvalidFileException(path, "zip entry " + e.name() + ": stored sizes disagree");
                yield raw;
            }
            case 8 -> inflate(path, e, raw, arena, size);
            default -> throw new InvalidFileException(path, "zip entry " + e.name() + " uses unsupported compression method " + e.method());
        };
    }

    /**
     * Most bytes one entry may inflate to: 16 times the whole file or 64 MiB, whichever is larger (weights barely
     * compress, so only a zip bomb exceeds it), and never more than {@link TensorFile#maxMaterialisedBytes()}.
     */
    static long inflateCap(long fileSize) {
        return Math.min(TensorFile.maxMaterialisedBytes(), Math.max(64L << 20, 16 * fileSize));
    }

    private static MemorySegment inflate(Path path, Entry e, MemorySegment raw, Arena arena, long fileSize) {
        if (e.size() > inflateCap(fileSize))
            throw new InvalidFileException(path, "zip entry " + e.name() + " would inflate to " + e.size() + " bytes, more than "
                    + inflateCap(fileSize) + " for a " + fileSize + "-byte file (a zip bomb?); raise VIREO_MAX_TENSOR_BYTES if it is genuine");
        // deflate cannot expand more than ~1032:1, so a larger declared size is a lie; check before allocating
        if (e.size() < 0 || e.size() > Integer.MAX_VALUE - 8 || e.size() > raw.byteSize() * 1100 + 1024)
            throw new InvalidFileException(path, "zip entry " + e.name() + " declares an impossible size " + e.size());
        byte[] out = new byte[(int) e.size()];
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(raw.asByteBuffer());
            int n = 0;
            while (n < out.length && !inf.finished()) {
                int k = inf.inflate(out, n, out.length - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) break;
                n += k;
            }
            if (n != out.length) throw new InvalidFileException(path, "zip entry " + e.name() + " inflates to fewer bytes than declared");
        } catch (DataFormatException ex) {
            throw new InvalidFileException(path, "zip entry " + e.name() + " is corrupt: " + ex.getMessage());
        } finally {
            inf.end();
        }
        MemorySegment seg = arena.allocate(Math.max(1, out.length), 8).asSlice(0, out.length);
        MemorySegment.copy(MemorySegment.ofArray(out), 0, seg, 0, out.length);
        return seg;
    }

    /** Checks the entry's CRC-32 (worth it for the small pickle, whose damage would otherwise read as a bad opcode). */
    static void checkCrc(Path path, Entry e, MemorySegment data) {
        var crc = new java.util.zip.CRC32();
        crc.update(data.asByteBuffer());
        if (crc.getValue() != e.crc())
            throw new InvalidFileException(path, "zip entry " + e.name() + " is corrupt (CRC mismatch)");
    }

    private static int u16(MemorySegment f, long p) { return f.get(U16, p) & 0xffff; }

    private static long u32(MemorySegment f, long p) { return f.get(Mapped.I32, p) & 0xffffffffL; }
}
