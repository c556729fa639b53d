package vireo.io;

import java.nio.file.Path;

/**
 * A user's file is unreadable or not what it claims to be. The message is one line naming the file and the
 * problem; the CLI prints it as is and exits non-zero, without a stack trace.
 */
public class InvalidFileException extends RuntimeException {
    private final transient Path file;

    public InvalidFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public InvalidFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() { return file; }
}
