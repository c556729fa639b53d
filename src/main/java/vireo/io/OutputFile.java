package vireo.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one writer for every file Vireo produces. A write goes to a temporary file beside the target and is renamed
 * over it only when complete, so a failed or interrupted write never leaves a partial or replaced output. Rules:
 * <ul>
 *   <li>the target must be absent or a regular file (a symbolic link is followed); devices, FIFOs and folders are
 *       refused instead of being replaced by a regular file; {@code -} means standard output where a command writes
 *       one stream;</li>
 *   <li>its folder must exist and be writable — {@link #check} says so before the work starts;</li>
 *   <li>errors name the user's path, never the temporary file; the temporary file is deleted on failure;</li>
 *   <li>a new file gets the usual umask permissions (0644 under umask 022, not the 0600 of temp files); an existing
 *       file keeps its permissions.</li>
 * </ul>
 */
public final class OutputFile {
    private OutputFile() {}

    /** The name that means standard output. */
    public static final String STDOUT = "-";

    private static final AtomicLong SEQ = new AtomicLong();

    /** Writes the whole content of a file to a channel. */
    @FunctionalInterface
    public interface Body { void writeTo(WritableByteChannel ch) throws IOException; }

    /** Writes the whole content of a file to the path it is given (for libraries that only write to a path). */
    @FunctionalInterface
    public interface PathBody { void writeTo(Path file) throws IOException; }

    public static boolean isStdout(Path target) { return target.toString().equals(STDOUT); }

    /**
     * Checks, before any work, that {@code target} can be written: absent or a regular file, in an existing
     * writable folder. Standard output ({@code -}) always passes.
     */
    public static void check(Path target) {
        if (isStdout(target)) return;
        resolve(target);
    }

    /** Writes {@code bytes} atomically (or to standard output for {@code -}). */
    public static void write(Path target, byte[] bytes) {
        write(target, ch -> {
            var buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) ch.write(buf);
        });
    }

    /** Writes UTF-8 text atomically (or to standard output for {@code -}). */
    public static void writeString(Path target, String text) {
        write(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Writes what {@code body} puts on the channel atomically (or to standard output for {@code -}). */
    public static void write(Path target, Body body) {
        if (isStdout(target)) {
            try {
                OutputStream out = System.out;
                body.writeTo(Channels.newChannel(out));
                out.flush();
            } catch (IOException e) {
                throw new InvalidFileException(Path.of("<stdout>"), "cannot write: " + reason(e), e);
            }
            return;
        }
        writeVia(target, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                body.writeTo(ch);
                ch.force(true);
            }
        });
    }

    /**
     * Lets {@code body} write a temporary file beside {@code target}, then renames it over the target. Standard
     * output is refused here: the body writes a file, not a stream.
     */
    public static void writeVia(Path target, PathBody body) {
        if (isStdout(target)) throw new InvalidFileException(target, "this output cannot go to standard output; name a file");
        Path real = resolve(target);
        Path dir = real.getParent();
        Path tmp = null;
        try {
            try {
                // createFile (not createTempFile) so a new output gets the umask permissions, not 0600
                tmp = Files.createFile(dir.resolve("." + real.getFileName() + "." + ProcessHandle.current().pid()
                        + "." + SEQ.incrementAndGet() + ".tmp"));
            } catch (IOException e) {
                throw new InvalidFileException(target, "cannot write: " + reason(e), e);
            }
            try {
                body.writeTo(tmp);
            } catch (IOException e) {
                throw new InvalidFileException(target, "cannot write: " + reason(e), e);
            }
            try {
                copyPermissions(real, tmp);
                try {
                    Files.move(tmp, real, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, real, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new InvalidFileException(target, "cannot write: " + reason(e), e);
            }
            tmp = null;
        } finally {
            if (tmp != null) {
                try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* best effort */ }
            }
        }
    }

    /** The file actually written (symbolic links followed), after checking it may be replaced. */
    private static Path resolve(Path target) {
        Path abs = target.toAbsolutePath();
        Path real = abs;
        try {
            if (Files.isSymbolicLink(abs) && Files.exists(abs)) real = abs.toRealPath();
        } catch (IOException e) {
            throw new InvalidFileException(target, "cannot write: " + reason(e), e);
        }
        if (Files.exists(real, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            String what = Files.isDirectory(real) ? "is a folder" : "is not a regular file (a device, FIFO or socket)";
            throw new InvalidFileException(target, what + "; refusing to replace it — name a regular file"
                    + " or '-' for standard output where the command writes one stream");
        }
        Path dir = real.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InvalidFileException(target, "cannot write: folder " + (dir == null ? "/" : dir) + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new InvalidFileException(target, "cannot write: folder " + dir + " is not writable");
        }
        return real;
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from)) return;
        PosixFileAttributeView src = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        PosixFileAttributeView dst = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (src != null && dst != null) dst.setPermissions(src.readAttributes().permissions());
    }

    /** The cause in words, without the temporary file's name. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "folder does not exist";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
