package vireo.lm.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.steer.TextCodec;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BOS follows the tokenizer's own rule (HF post-processor; llama2.c always), and the override wins. */
class BosRuleTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static HfBpeTokenizer withPostProcessor(Path dir, String postProcessor) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(Path.of("src/test/resources/fixtures/tokenizer/llama3/tokenizer.json").toFile());
        if (postProcessor != null) root.set("post_processor", JSON.readTree(postProcessor));
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("tokenizer.json").toFile(), root);
        return HfBpeTokenizer.read(dir);
    }

    @Test
    void followsThePostProcessor(@TempDir Path tmp) throws Exception {
        // Llama 3's tokenizer.json: Sequence[ByteLevel, TemplateProcessing(single = <|begin_of_text|> $A)]
        String llama3 = """
                {"type":"Sequence","processors":[{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":false,"use_regex":true},
                 {"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<|begin_of_text|>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],
                  "pair":[],"special_tokens":{}}]}""";
        HfBpeTokenizer adds = withPostProcessor(tmp.resolve("a"), llama3);
        HfBpeTokenizer none = withPostProcessor(tmp.resolve("b"), null);
        HfBpeTokenizer byteLevel = withPostProcessor(tmp.resolve("c"), "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":true}");
        assertTrue(adds.bos() >= 0);
        assertTrue(adds.addsBos());
        assertFalse(none.addsBos());
        assertFalse(byteLevel.addsBos());
        int[] plain = none.encode("Hello", false);
        assertEquals(plain.length + 1, TextCodec.of(adds).encode("Hello").length);
        assertEquals(adds.bos(), TextCodec.of(adds).encode("Hello")[0]);
        assertEquals(plain.length, TextCodec.of(none).encode("Hello").length);
        assertEquals(plain.length + 1, TextCodec.of(none).withBos(true).encode("Hello").length);
        assertEquals(plain.length, TextCodec.of(adds).withBos(false).encode("Hello").length);
    }
}
