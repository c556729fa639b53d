package vireo.lm.tokenizer;

/** Text ↔ token ids for one model's vocabulary. */
public interface Tokenizer {
    /** Token ids of {@code text}; with {@code bos} the model's beginning-of-sequence token first (if it has one). */
    int[] encode(String text, boolean bos);

    /** The bytes token {@code token} contributes to the text when it follows {@code previous} (-1 at the start). */
    byte[] piece(int previous, int token);

    /** The text of a whole token sequence. */
    default String decode(int[] tokens) {
        var out = new java.io.ByteArrayOutputStream();
        int prev = -1;
        for (int t : tokens) {
            out.writeBytes(piece(prev, t));
            prev = t;
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    int vocabSize();

    /** Beginning-of-sequence id, or -1. */
    int bos();

    /**
     * Whether this tokenizer's own rule puts BOS before a sequence, as Hugging Face {@code encode} does: llama2.c
     * always; a {@code tokenizer.json} only when its post-processor inserts the BOS special token.
     */
    default boolean addsBos() { return bos() >= 0; }

    /** End-of-sequence id, or -1. */
    int eos();

    /** Id of an exact vocabulary entry (e.g. "A" for A/B scoring), or -1. */
    default int idOf(String piece) { return -1; }
}
