package vireo.steer;

import java.nio.charset.StandardCharsets;

/**
 * Text to token ids and back, as steering needs it: whatever tokenizer the model came with (adapted in the CLI).
 * {@code encode} includes whatever begin-of-sequence token the model expects.
 */
public interface TextCodec {
    int[] encode(String text);

    String decode(int[] tokens);

    /** A byte vocabulary (token = UTF-8 byte value, 0..255), as the tiny rwkv.cpp test models use. */
    static TextCodec bytes() {
        return new TextCodec() {
            @Override public int[] encode(String text) {
                byte[] b = text.getBytes(StandardCharsets.UTF_8);
                int[] t = new int[b.length];
                for (int i = 0; i < b.length; i++) t[i] = b[i] & 0xff;
                return t;
            }

            @Override public String decode(int[] tokens) {
                byte[] b = new byte[tokens.length];
                for (int i = 0; i < b.length; i++) b[i] = (byte) tokens[i];
                return new String(b, StandardCharsets.UTF_8);
            }
        };
    }
}
