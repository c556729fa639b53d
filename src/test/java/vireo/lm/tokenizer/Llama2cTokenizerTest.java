package vireo.lm.tokenizer;

import org.junit.jupiter.api.Test;
import vireo.SharedData;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The heap-based merge gives exactly run.c's result: its loop (rescan all pairs, take the first best) is the oracle. */
class Llama2cTokenizerTest {
    @Test
    void heapMergeEqualsRunCRescanOnRealText() throws Exception {
        Path tokFile = SharedData.require("models/llama2c/tok512.bin");
        Path data = SharedData.require("data/steering/caa/sycophancy/generate_dataset.json");
        String json = Files.readString(data, StandardCharsets.UTF_8);
        String text = json.substring(0, 3000) + " Zq€ ünïcode 😀 \n\t end";
        Llama2cTokenizer t = Llama2cTokenizer.read(tokFile, 512);
        assertArrayEquals(runC(tokFile, 512, text), t.encode(text, true));
        assertArrayEquals(runC(tokFile, 512, "a"), t.encode("a", true));
    }

    /** run.c's encode, transcribed loop for loop (quadratic; fine for a few thousand characters). */
    static int[] runC(Path file, int vocab, String text) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        b.getInt();
        String[] piece = new String[vocab];
        float[] score = new float[vocab];
        Map<String, Integer> id = new HashMap<>();
        for (int i = 0; i < vocab; i++) {
            score[i] = b.getFloat();
            byte[] p = new byte[b.getInt()];
            b.get(p);
            piece[i] = new String(p, StandardCharsets.UTF_8);
            id.putIfAbsent(piece[i], i);
        }
        int[] t = new int[text.length() * 4 + 3];
        int n = 0;
        t[n++] = 1;
        t[n++] = id.get(" ");
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            String ch = new String(Character.toChars(cp));
            i += Character.charCount(cp);
            Integer k = id.get(ch);
            if (k != null) t[n++] = k;
            else for (byte by : ch.getBytes(StandardCharsets.UTF_8)) t[n++] = (by & 0xff) + 3;
        }
        while (true) {
            float best = -1e10f;
            int at = -1, merged = -1;
            for (int i = 1; i + 1 < n; i++) {
                Integer k = id.get(piece[t[i]] + piece[t[i + 1]]);
                if (k != null && score[k] > best) { best = score[k]; at = i; merged = k; }
            }
            if (at < 0) break;
            t[at] = merged;
            System.arraycopy(t, at + 2, t, at + 1, n - at - 2);
            n--;
        }
        return Arrays.copyOf(t, n);
    }
}
