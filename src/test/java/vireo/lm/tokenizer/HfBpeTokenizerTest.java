package vireo.lm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Ids and decoded text against Hugging Face `tokenizers` (tools/fixtures/make_tokenizer_fixtures.py). */
class HfBpeTokenizerTest {
    @ParameterizedTest
    @ValueSource(strings = {"neox", "llama3"})
    void matchesHuggingFaceTokenizers(String name) throws Exception {
        Path dir = Path.of("src/test/resources/fixtures/tokenizer", name);
        HfBpeTokenizer tok = HfBpeTokenizer.read(dir);
        for (JsonNode c : new ObjectMapper().readTree(dir.resolve("expected.json").toFile())) {
            String text = c.get("text").asText();
            int[] expected = new int[c.get("ids").size()];
            for (int i = 0; i < expected.length; i++) expected[i] = c.get("ids").get(i).asInt();
            int[] ids = tok.encode(text, false);
            assertArrayEquals(expected, ids, name + " " + text + " → " + Arrays.toString(ids));
            if (!text.contains("<|")) assertEquals(text, tok.decode(ids));
        }
    }
}
