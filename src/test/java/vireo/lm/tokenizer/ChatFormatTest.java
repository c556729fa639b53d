package vireo.lm.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChatFormatTest {
    @Test
    void recognisesTemplatesAndRendersAUserTurn() {
        // fragments of the real templates' Jinja
        assertEquals(Optional.of(ChatFormat.LLAMA3), ChatFormat.fromTemplate("{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' }}"));
        assertEquals(Optional.of(ChatFormat.CHATML), ChatFormat.fromTemplate("{{'<|im_start|>' + message['role'] + '\\n'}}"));
        assertEquals(Optional.empty(), ChatFormat.fromTemplate("{{ messages }}"));
        assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
                ChatFormat.LLAMA3.userTurn("  Hi there\n"));
        assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", ChatFormat.CHATML.userTurn("Hi"));
    }
}
