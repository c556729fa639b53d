package vireo.steer;

/**
 * Text to token ids and back, as steering needs it: whatever tokenizer the model came with (adapted in the CLI).
 * {@code encode} includes whatever begin-of-sequence token the model expects.
 */
public interface TextCodec {
    int[] encode(String text);

    String decode(int[] tokens);
}
