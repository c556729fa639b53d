package vireo.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** File plumbing shared by the readers and writers: read-only maps, little-endian reads, atomic writes. */
final class Mapped {
    private Mapped() {}

    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Maps the whole file read-only into {@code arena}; a missing file or a directory is an {@link InvalidFileException}. */
    static MemorySegment map(Path path, Arena arena) {
        InputFile.requireRegular(path);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) return MemorySegment.ofArray(new byte[0]);
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (NoSuchFileException e) {
            throw new InvalidFileException(path, "no such file");
        } catch (IOException e) {
            throw new InvalidFileException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    /** The first {@code n} bytes (fewer if the file is shorter). */
    static byte[] head(Path path, int n) {
        if (Files.isDirectory(path)) return new byte[0];
        InputFile.requireRegular(path);
        try (var in = Files.newInputStream(path)) {
            return in.readNBytes(n);
        } catch (NoSuchFileException e) {
            throw new InvalidFileException(path, "no such file");
        } catch (IOException e) {
            throw new InvalidFileException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Atomic write through the one writer, {@link OutputFile}. */
    static void writeAtomically(Path target, OutputFile.Body body) { OutputFile.write(target, body); }

    /** Writes all of {@code seg} to the channel at its current position. */
    static void write(java.nio.channels.WritableByteChannel ch, MemorySegment seg) throws IOException {
        // asByteBuffer works for heap and native segments; write in chunks so huge tensors need no extra copy
        long off = 0, n = seg.byteSize();
        while (off < n) {
            long len = Math.min(n - off, 1L << 30);
            MemorySegment part = seg.asSlice(off, len);
            java.nio.ByteBuffer buf;
            try {
                buf = part.asByteBuffer();
            } catch (UnsupportedOperationException e) {
                // heap segment over a float[]/int[]...: stage through a byte array
                buf = java.nio.ByteBuffer.wrap(part.toArray(ValueLayout.JAVA_BYTE));
            }
            while (buf.hasRemaining()) ch.write(buf);
            off += len;
        }
    }

    static void write(java.nio.channels.WritableByteChannel ch, byte[] bytes) throws IOException {
        var buf = java.nio.ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) ch.write(buf);
    }
}
