package vireo.steer;

import vireo.lm.tokenizer.ByteTokenizer;
import vireo.lm.tokenizer.Tokenizer;

/**
 * Text to token ids and back, as steering needs it: a model's {@link Tokenizer} with the begin-of-sequence token
 * always on, since every steering prompt starts a sequence.
 */
public interface TextCodec {
    int[] encode(String text);

    String decode(int[] tokens);

    /** Steering's view of a model tokenizer: encode with BOS. */
    static TextCodec of(Tokenizer t) {
        return new TextCodec() {
            @Override public int[] encode(String text) { return t.encode(text, true); }
            @Override public String decode(int[] tokens) { return t.decode(tokens); }
        };
    }

    /** A byte vocabulary (token = UTF-8 byte value, 0..255), as the tiny rwkv.cpp test models use. */
    static TextCodec bytes() { return of(new ByteTokenizer()); }
}
