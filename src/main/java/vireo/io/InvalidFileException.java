package vireo.io;

import java.nio.file.Path;

/**
 * A user's file is unreadable or not what it claims to be. The message is one line naming the file and the
 * problem; the CLI prints it as is and exits non-zero, without a stack trace.
 */
public class InvalidFileException extends RuntimeException {
    private final transient Path file;

    public InvalidFileException(Path file, String problem) {
        super(oneLine(file + ": " + problem));
        this.file = file;
    }

    public InvalidFileException(Path file, String problem, Throwable cause) {
        super(oneLine(file + ": " + problem), cause);
        this.file = file;
    }

    /** Control characters (often read from the damaged file itself) are escaped so the message stays one line. */
    static String oneLine(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029 || c == 0x85) {
                if (b == null) b = new StringBuilder(s.substring(0, i));
                b.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : String.format("\\u%04x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    public Path file() { return file; }
}
