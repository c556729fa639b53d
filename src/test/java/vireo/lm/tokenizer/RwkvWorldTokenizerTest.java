package vireo.lm.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.io.InvalidFileException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Greedy longest-match over bytes on a small vocabulary in the rwkv_vocab_v20230424.txt format. */
class RwkvWorldTokenizerTest {
    static final Path VOCAB = Path.of("src/test/resources/fixtures/tokenizer/rwkv-world/vocab.txt");

    @Test
    void longestMatchAndLiterals() {
        RwkvWorldTokenizer t = RwkvWorldTokenizer.read(VOCAB);
        assertArrayEquals(new int[]{302, 301, 98}, t.encode("abababa", false));   // "abab" + "ab" + "a"
        assertArrayEquals(new int[]{300, 300, 66, 33}, t.encode(" A AA ", false)); // " A", " A", "A", " "
        assertArrayEquals(new int[]{305, 303, 304}, t.encode("€uro€", false));    // str literal vs split bytes literal
        assertArrayEquals(new int[]{306, 11, 1}, t.encode("it's\n\0", false));
        assertEquals("€uro€ abab", t.decode(t.encode("€uro€ abab", false)));
    }

    @Test
    void badLinesAreOneLineErrors(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("v.txt");
        Files.writeString(bad, "1 'ab' 3\n");
        var e = assertThrows(InvalidFileException.class, () -> RwkvWorldTokenizer.read(bad));
        assertEquals(bad + ": line 1: literal has 2 bytes, line says 3", e.getMessage());
    }
}
