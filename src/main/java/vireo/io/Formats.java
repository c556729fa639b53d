package vireo.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Opens any tensor file Vireo knows, recognising the format by its first bytes rather than its name.
 * To add a format, add one {@link Format} to {@link #KNOWN}: a name, a test on the path and the file's first
 * {@link #SNIFF_BYTES} bytes, and an opener. Formats are tried in order, so put specific magics before loose ones.
 */
public final class Formats {
    private Formats() {}

    public static final int SNIFF_BYTES = 64;

    /** One file format: {@code matches(path, head)} sees up to {@link #SNIFF_BYTES} leading bytes (empty for a folder). */
    public record Format(String name, Sniffer matches, Function<Path, TensorFile> open) {}

    @FunctionalInterface
    public interface Sniffer { boolean test(Path path, byte[] head); }

    public static final List<Format> KNOWN = List.of(
            new Format("pytorch", (p, h) -> Zip.hasSignature(h), TorchCheckpoint::read),
            new Format("npy", (p, h) -> startsWith(h, Npy.MAGIC), Npy::open),
            new Format("safetensors", Formats::looksLikeSafeTensors, SafeTensors::read),
            new Format("safetensors-sharded", Formats::looksLikeShardIndex, SafeTensors::readSharded)
    );

    /** The format of {@code path}, or an {@link InvalidFileException} listing what was expected. */
    public static Format detect(Path path) {
        if (!Files.exists(path)) throw new InvalidFileException(path, "no such file");
        byte[] head = Mapped.head(path, SNIFF_BYTES);
        for (Format f : KNOWN) if (f.matches().test(path, head)) return f;
        if (head.length == 0 && !Files.isDirectory(path)) throw new InvalidFileException(path, "empty file");
        throw new InvalidFileException(path, "unrecognised tensor file format (expected one of "
                + KNOWN.stream().map(Format::name).toList() + ")");
    }

    /** Detects the format and opens the file; close the result to unmap it. */
    public static TensorFile open(Path path) { return detect(path).open().apply(path); }

    static boolean startsWith(byte[] head, byte[] magic) {
        if (head.length < magic.length) return false;
        for (int i = 0; i < magic.length; i++) if (head[i] != magic[i]) return false;
        return true;
    }

    /** 8-byte little-endian header length that fits a header, followed by '{'. */
    static boolean looksLikeSafeTensors(Path path, byte[] head) {
        if (head.length < 10 || head[8] != '{') return false;
        long n = 0;
        for (int i = 7; i >= 0; i--) n = (n << 8) | (head[i] & 0xff);
        return n >= 2 && n <= SafeTensors.MAX_HEADER;
    }

    /** A folder holding model.safetensors.index.json or model.safetensors, or a JSON file with a weight_map. */
    static boolean looksLikeShardIndex(Path path, byte[] head) {
        if (Files.isDirectory(path))
            return Files.exists(path.resolve(SafeTensors.INDEX_NAME)) || Files.exists(path.resolve("model.safetensors"));
        String s = new String(head, StandardCharsets.UTF_8).stripLeading();
        if (!s.startsWith("{")) return false;
        if (s.contains("\"weight_map\"") || path.getFileName().toString().endsWith(".index.json")) return true;
        try {
            return Files.isRegularFile(path) && Files.size(path) < SafeTensors.MAX_HEADER && InputFile.readString(path).contains("\"weight_map\"");
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }
}
