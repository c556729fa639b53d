package vireo.steer;

import vireo.lm.tokenizer.ByteTokenizer;
import vireo.lm.tokenizer.Tokenizer;

/**
 * Text to token ids and back, as steering needs it: a model's {@link Tokenizer} with the begin-of-sequence token
 * added by the tokenizer's own rule ({@link Tokenizer#addsBos()}, as Hugging Face {@code encode}) unless overridden.
 */
public interface TextCodec {
    int[] encode(String text);

    String decode(int[] tokens);

    /** This codec with BOS forced on or off ({@code --bos} / {@code --no-bos}); codecs without a tokenizer ignore it. */
    default TextCodec withBos(boolean bos) { return this; }

    /** Steering's view of a model tokenizer: BOS as the tokenizer's own rule says. */
    static TextCodec of(Tokenizer t) { return new Tokenized(t, t.addsBos()); }

    /** A tokenizer with an explicit BOS choice. */
    record Tokenized(Tokenizer tokenizer, boolean bos) implements TextCodec {
        @Override public int[] encode(String text) { return tokenizer.encode(text, bos); }
        @Override public String decode(int[] tokens) { return tokenizer.decode(tokens); }
        @Override public TextCodec withBos(boolean on) { return new Tokenized(tokenizer, on); }
    }

    /** A byte vocabulary (token = UTF-8 byte value, 0..255), as the tiny rwkv.cpp test models use. */
    static TextCodec bytes() { return of(new ByteTokenizer()); }
}
