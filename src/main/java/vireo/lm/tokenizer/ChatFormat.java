package vireo.lm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The chat layout of a model, recognised from the {@code chat_template} in its tokenizer_config.json. Vireo does not
 * run Jinja: it knows the common layouts (Llama 3 headers, ChatML, Llama 2 [INST]) and renders a single user turn
 * plus the assistant's generation prompt, which is what generation and steering need.
 */
public enum ChatFormat {
    LLAMA3("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n%s<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"),
    CHATML("<|im_start|>user\n%s<|im_end|>\n<|im_start|>assistant\n"),
    LLAMA2("[INST] %s [/INST]");

    private final String layout;

    ChatFormat(String layout) { this.layout = layout; }

    /** The text of one user message followed by the assistant's turn header. */
    public String userTurn(String message) { return layout.formatted(message.strip()); }

    /** Whether the rendered text already starts with the model's BOS (so encoding must not add another). */
    public boolean includesBos() { return this == LLAMA3; }

    /** Recognises the layout of a chat_template string. */
    public static Optional<ChatFormat> fromTemplate(String template) {
        if (template == null) return Optional.empty();
        if (template.contains("<|start_header_id|>")) return Optional.of(LLAMA3);
        if (template.contains("<|im_start|>")) return Optional.of(CHATML);
        if (template.contains("[INST]")) return Optional.of(LLAMA2);
        return Optional.empty();
    }

    /** The layout named by tokenizer_config.json in {@code dir}, if it has a chat_template Vireo recognises. */
    public static Optional<ChatFormat> forModelFolder(Path dir) {
        Path cfg = dir.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(cfg)) return Optional.empty();
        try {
            JsonNode t = new ObjectMapper().readTree(vireo.io.InputFile.readAllBytes(cfg)).get("chat_template");
            if (t != null && t.isArray() && !t.isEmpty()) t = t.get(0).get("template");
            return fromTemplate(t == null ? null : t.asText());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
