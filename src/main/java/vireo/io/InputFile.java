package vireo.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The one gate every reader of a user's file passes: only regular files are read (a device such as /dev/zero
 * would never end, a FIFO would hang), and whole-file reads are capped so a hostile input cannot exhaust memory.
 * Errors are {@link InvalidFileException}s naming the file.
 */
public final class InputFile {
    private InputFile() {}

    /** Cap for files read whole into memory (tokenizers, prompt lists, datasets, configs, .bvs): 1 GiB. */
    public static final long MAX_WHOLE_FILE = 1L << 30;

    /** Throws unless {@code path} is an existing regular file (symbolic links followed). */
    public static void requireRegular(Path path) {
        if (!Files.exists(path)) throw new InvalidFileException(path, "no such file");
        if (Files.isDirectory(path)) throw new InvalidFileException(path, "is a directory, expected a file");
        if (!Files.isRegularFile(path)) {
            throw new InvalidFileException(path, "is not a regular file (a device, FIFO or socket); Vireo reads only regular files");
        }
        if (!Files.isReadable(path)) throw new InvalidFileException(path, "permission denied");
    }

    /** The whole file, at most {@link #MAX_WHOLE_FILE} bytes. */
    public static byte[] readAllBytes(Path path) { return readAllBytes(path, MAX_WHOLE_FILE); }

    public static byte[] readAllBytes(Path path, long cap) {
        requireRegular(path);
        try {
            long size = Files.size(path);
            if (size > cap) throw new InvalidFileException(path, "is " + size + " bytes, more than the " + cap + " this reader accepts");
            try (var in = Files.newInputStream(path)) {
                byte[] b = in.readNBytes((int) Math.min(cap, Integer.MAX_VALUE - 8) + 1);
                if (b.length > cap) throw new InvalidFileException(path, "grew past the " + cap + " bytes this reader accepts");
                return b;
            }
        } catch (NoSuchFileException e) {
            throw new InvalidFileException(path, "no such file");
        } catch (AccessDeniedException e) {
            throw new InvalidFileException(path, "permission denied");
        } catch (IOException e) {
            throw new InvalidFileException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    /** The whole file as UTF-8 text (malformed bytes replaced), capped. */
    public static String readString(Path path) { return new String(readAllBytes(path), StandardCharsets.UTF_8); }

    /** The file's lines (UTF-8), capped. */
    public static List<String> readLines(Path path) { return readString(path).lines().toList(); }
}
