package vireo.steer;

import java.util.Map;

/**
 * How a question becomes a prompt for a model family; {@code {q}} marks the question. The A/B templates end in
 * "(" so the answer letter is the next token.
 */
public record PromptTemplate(String name, String pattern) {
    public static final PromptTemplate HERMES = new PromptTemplate("hermes", "\u0016user\n{q}\u0017\n\u0016assistant\n(");
    public static final PromptTemplate LLAMA2 = new PromptTemplate("llama2", "[INST] {q} [/INST] (");
    public static final PromptTemplate LLAMA3 = new PromptTemplate("llama3",
            "<|start_header_id|>user<|end_header_id|>\n\n{q}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n(");
    /** For tiny models with no chat training. */
    public static final PromptTemplate PLAIN = new PromptTemplate("plain", "{q}\nAnswer: (");
    /** The text as is (contrast files of free text). */
    public static final PromptTemplate NONE = new PromptTemplate("none", "{q}");

    private static final Map<String, PromptTemplate> PRESETS = Map.of("hermes", HERMES, "llama2", LLAMA2,
            "llama3", LLAMA3, "plain", PLAIN, "none", NONE);

    public PromptTemplate {
        if (!pattern.contains("{q}")) throw new IllegalArgumentException("template '" + name + "' has no {q}");
    }

    public String apply(String question) { return pattern.replace("{q}", question); }

    /**
     * A preset name (hermes, llama2, llama3, plain, none) or a pattern containing {q}, where the escapes
     * \n, \t and \xNN are understood.
     */
    public static PromptTemplate parse(String s) {
        PromptTemplate p = PRESETS.get(s.toLowerCase());
        if (p != null) return p;
        if (!s.contains("{q}"))
            throw new IllegalArgumentException("unknown template '" + s + "' (hermes, llama2, llama3, plain, none, or a pattern with {q})");
        return new PromptTemplate("custom", unescape(s));
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case '\\' -> b.append('\\');
                    case 'x' -> { b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16)); i += 2; }
                    default -> b.append('\\').append(n);
                }
            } else b.append(c);
        }
        return b.toString();
    }
}
