package vireo.tpc;

import vireo.io.InvalidFileException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Raw-ADC wedges as the authors store them: a NumPy .npy file holding little-endian uint16 of shape (192, 249, 16).
 * A small private stand-in until the "io" helper's general {@code vireo.io.Npy} lands in main; it reads only what a
 * wedge file can be and writes atomically (temp file, then rename).
 */
public final class WedgeNpy {
    private WedgeNpy() {}

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** The raw ADC counts of a wedge file (any little-endian integer dtype of 1–2 bytes; values must fit 16 bits). */
    public static short[] readAdc(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY"))
            throw new InvalidFileException(file, "not a .npy file (bad magic)");
        int major = bytes[6];
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen, start;
        if (major == 1) { headerLen = bb.getShort(8) & 0xffff; start = 10; }
        else if (major == 2 || major == 3) { headerLen = bb.getInt(8); start = 12; }
        else throw new InvalidFileException(file, "unsupported .npy version " + major);
        if (start + headerLen > bytes.length) throw new InvalidFileException(file, "truncated .npy header");
        String header = new String(bytes, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header), f = FORTRAN.matcher(header), s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) throw new InvalidFileException(file, "unreadable .npy header: " + header.strip());
        if (f.group(1).equals("True")) throw new InvalidFileException(file, "Fortran-ordered arrays are not supported");
        String kind = d.group(2);
        int size = Integer.parseInt(d.group(3));
        if (d.group(1).equals(">") && size > 1) throw new InvalidFileException(file, "big-endian data is not supported");
        if (!(kind.equals("u") || kind.equals("i")) || size > 2)
            throw new InvalidFileException(file, "expected uint16 ADC counts, got dtype " + d.group(2) + d.group(3));
        String shape = s.group(1).replace(" ", "");
        if (!shape.equals("192,249,16") && !shape.equals("192,249,16,"))
            throw new InvalidFileException(file, "expected a wedge of shape (192, 249, 16), got (" + s.group(1).strip() + ")");
        int data = start + headerLen;
        if (bytes.length - data != (long) Wedge.VOXELS * size)
            throw new InvalidFileException(file, "expected " + Wedge.VOXELS * size + " data bytes, found " + (bytes.length - data));
        short[] adc = new short[Wedge.VOXELS];
        for (int i = 0; i < adc.length; i++) {
            int v = size == 2 ? bb.getShort(data + 2 * i) : (kind.equals("u") ? bytes[data + i] & 0xff : bytes[data + i]);
            if (kind.equals("i") && v < 0) throw new InvalidFileException(file, "negative ADC value " + v + " at voxel " + i);
            adc[i] = (short) v;
        }
        return adc;
    }

    public static Wedge read(Path file) { return Wedge.fromAdc(readAdc(file)); }

    /** Writes uint16 (192, 249, 16) to {@code file} through a temp file and an atomic rename. */
    public static void writeAdc(Path file, short[] adc) {
        if (adc.length != Wedge.VOXELS) throw new IllegalArgumentException("a wedge has " + Wedge.VOXELS + " voxels");
        StringBuilder h = new StringBuilder("{'descr': '<u2', 'fortran_order': False, 'shape': (192, 249, 16), }");
        while ((10 + h.length() + 1) % 64 != 0) h.append(' ');
        h.append('\n');
        ByteBuffer bb = ByteBuffer.allocate(10 + h.length() + 2 * adc.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        bb.putShort((short) h.length()).put(h.toString().getBytes(StandardCharsets.US_ASCII));
        for (short v : adc) bb.putShort(v);
        writeAtomically(file, bb.array());
    }

    /** Writes bytes through a temp file beside {@code file} and renames it into place. */
    static void writeAtomically(Path file, byte[] bytes) {
        Path abs = file.toAbsolutePath();
        try {
            Path dir = abs.getParent();
            if (dir != null) Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
