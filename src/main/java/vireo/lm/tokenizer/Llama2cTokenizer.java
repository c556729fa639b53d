package vireo.lm.tokenizer;

import vireo.io.InvalidFileException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * llama2.c's tokenizer file: int32 max_token_length, then per token a float32 merge score, an int32 length and the
 * piece's bytes. Encoding is sentencepiece-style: a dummy-prefix space, one token per code point (UTF-8 bytes as
 * {@code <0xXX>} tokens, id = byte + 3, when the code point is not in the vocabulary), then repeatedly merge the
 * adjacent pair whose merged piece has the best score. Ids 0, 1, 2 are unk, BOS, EOS.
 */
public final class Llama2cTokenizer implements Tokenizer {
    private final byte[][] pieces;
    private final float[] scores;
    private final Map<String, Integer> ids = new HashMap<>();

    private Llama2cTokenizer(byte[][] pieces, float[] scores) {
        this.pieces = pieces;
        this.scores = scores;
        for (int i = 0; i < pieces.length; i++) ids.putIfAbsent(new String(pieces[i], StandardCharsets.UTF_8), i);
    }

    /** Reads a tokenizer file of {@code vocabSize} entries (the size comes from the model's header). */
    public static Llama2cTokenizer read(Path path, int vocabSize) {
        byte[] all;
        all = vireo.io.InputFile.readAllBytes(path);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int maxLen = b.getInt();
            if (maxLen <= 0 || maxLen > 1 << 16) throw new InvalidFileException(path, "not a llama2.c tokenizer: max token length " + maxLen);
            byte[][] pieces = new byte[vocabSize][];
            float[] scores = new float[vocabSize];
            for (int i = 0; i < vocabSize; i++) {
                scores[i] = b.getFloat();
                int len = b.getInt();
                if (len < 0 || len > maxLen || len > b.remaining())
                    throw new InvalidFileException(path, "token " + i + " has an impossible length " + len);
                pieces[i] = new byte[len];
                b.get(pieces[i]);
            }
            return new Llama2cTokenizer(pieces, scores);
        } catch (java.nio.BufferUnderflowException e) {
            throw new InvalidFileException(path, "truncated: ends before " + vocabSize + " tokens (does it belong to this model?)");
        }
    }

    @Override public int vocabSize() { return pieces.length; }
    @Override public int bos() { return 1; }
    @Override public int eos() { return 2; }
    @Override public int idOf(String piece) { return ids.getOrDefault(piece, -1); }

    @Override
    public int[] encode(String text, boolean bos) {
        int[] t = new int[text.length() * 4 + 3];
        int n = 0;
        if (bos) t[n++] = 1;
        if (!text.isEmpty()) {
            Integer space = ids.get(" ");
            if (space != null) t[n++] = space;
        }
        int start = n;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            String ch = new String(Character.toChars(cp));
            i += Character.charCount(cp);
            Integer id = ids.get(ch);
            if (id != null) t[n++] = id;
            else for (byte by : ch.getBytes(StandardCharsets.UTF_8)) t[n++] = (by & 0xff) + 3;
        }
        // Merge the best-scoring adjacent pair (leftmost on ties) until none merges: run.c's result, but with a
        // heap over a linked list instead of a full rescan per merge, which was quadratic in the text length.
        int first = Math.max(start - 1, bos ? 1 : 0);
        int[] next = new int[n], prev = new int[n];
        for (int i = 0; i < n; i++) { next[i] = i + 1 < n ? i + 1 : -1; prev[i] = i - 1; }
        boolean[] dead = new boolean[n];
        // entry: {score bits, left node, left token, right token, merged id}; best score first, then leftmost
        java.util.PriorityQueue<long[]> heap = new java.util.PriorityQueue<>((a, b) -> {
            int c = Float.compare(Float.intBitsToFloat((int) b[0]), Float.intBitsToFloat((int) a[0]));
            return c != 0 ? c : Long.compare(a[1], b[1]);
        });
        for (int i = first; i + 1 < n; i++) offer(heap, t, i, i + 1);
        while (!heap.isEmpty()) {
            long[] e = heap.poll();
            int a = (int) e[1], b = next[a];
            if (dead[a] || b < 0 || t[a] != e[2] || t[b] != e[3]) continue; // stale entry
            t[a] = (int) e[4];
            dead[b] = true;
            next[a] = next[b];
            if (next[b] >= 0) prev[next[b]] = a;
            if (prev[a] >= first) offer(heap, t, prev[a], a);
            if (next[a] >= 0) offer(heap, t, a, next[a]);
        }
        int m = 0;
        for (int i = 0; i < n; i++) if (!dead[i]) t[m++] = t[i];
        return Arrays.copyOf(t, m);
    }

    private void offer(java.util.PriorityQueue<long[]> heap, int[] t, int i, int j) {
        Integer id = ids.get(new String(concat(pieces[t[i]], pieces[t[j]]), StandardCharsets.UTF_8));
        if (id != null) heap.add(new long[]{Float.floatToRawIntBits(scores[id]) & 0xffffffffL, i, t[i], t[j], id});
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Override
    public byte[] piece(int previous, int token) {
        byte[] p = pieces[token];
        if (token == 1 || token == 2) return new byte[0];
        if (previous == 1 && p.length > 0 && p[0] == ' ') p = Arrays.copyOfRange(p, 1, p.length);
        if (p.length == 6 && p[0] == '<' && p[1] == '0' && p[2] == 'x' && p[5] == '>') {
            return new byte[]{(byte) Integer.parseInt(new String(p, 3, 2, StandardCharsets.US_ASCII), 16)};
        }
        return p;
    }
}
