package vireo.lm.tokenizer;

import java.nio.charset.StandardCharsets;

/** The byte vocabulary of the tiny RWKV test models: token id = byte value (0–255), no BOS or EOS. */
public final class ByteTokenizer implements Tokenizer {
    @Override
    public int[] encode(String text, boolean bos) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[b.length];
        for (int i = 0; i < b.length; i++) ids[i] = b[i] & 0xff;
        return ids;
    }

    @Override public byte[] piece(int previous, int token) { return new byte[]{(byte) token}; }
    @Override public int vocabSize() { return 256; }
    @Override public int bos() { return -1; }
    @Override public int eos() { return -1; }
    @Override public int idOf(String piece) {
        byte[] b = piece.getBytes(StandardCharsets.UTF_8);
        return b.length == 1 ? b[0] & 0xff : -1;
    }
}
