package vireo.io;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InvalidFileExceptionTest {
    @Test
    void controlCharactersFromTheFileAreEscapedToKeepOneLine() {
        var e = new InvalidFileException(Path.of("m.pt"), "unsupported global torch.\nFloat\tStorage\u0000");
        assertEquals("m.pt: unsupported global torch.\\nFloat\\tStorage\\u0000", e.getMessage());
        assertEquals("a: plain", new InvalidFileException(Path.of("a"), "plain").getMessage());
    }
}
