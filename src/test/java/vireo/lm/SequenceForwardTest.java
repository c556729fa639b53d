package vireo.lm;

import org.junit.jupiter.api.Test;
import vireo.SharedData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The block forward ({@link LanguageModel#forwardBatch}) against the per-token path ({@link LanguageModel#step}) as
 * oracle: logits, every hook point's value at every position (state points included), the state left behind (decoding
 * continues identically) and the effect of a writing hook, within 1e-5 relative, on a ragged batch where one sequence
 * continues a non-empty state.
 */
class SequenceForwardTest {
    static final double TOL = 1e-5;

    /** Records every hook point of the model, per position, into map (key "point@pos"). */
    static Hooks recordAll(LanguageModel lm, Map<String, float[]> map) {
        Hooks h = Hooks.NONE;
        for (String p : lm.hookPoints()) h = h.with(p, (pos, x) -> map.put(p + "@" + pos, x.clone()));
        return h;
    }

    /** A writing hook: adds a fixed vector at one mid-depth point at position 2 (changes everything after it). */
    static Hooks edit(LanguageModel lm) {
        String point = "blocks." + (lm.numLayers() / 2) + ".resid_pre";
        return Hooks.of(point, (pos, x) -> { if (pos == 2) for (int i = 0; i < x.length; i++) x[i] += 0.5f * (float) Math.sin(i + 1); });
    }

    static void assertClose(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        double scale = 0, diff = 0;
        for (int i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            diff = Math.max(diff, Math.abs(want[i] - got[i]));
        }
        assertTrue(diff <= TOL * Math.max(scale, 1e-30), what + ": max |Δ| " + diff + " vs max |x| " + scale);
    }

    static int[] tokens(LanguageModel lm, int n, int seed) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = 1 + (int) ((i * 7919L + seed * 104729L) % (lm.vocabSize() - 1));
        return t;
    }

    static void check(LanguageModel lm) {
        int[] prefix = tokens(lm, 3, 9);
        int[][] prompts = {tokens(lm, 7, 1), tokens(lm, 1, 2), tokens(lm, 12, 3)};
        // oracle: per token, each sequence alone (sequence 1 continues a 3-token prefix)
        List<Map<String, float[]>> wantHooks = new ArrayList<>();
        List<float[][]> wantLogits = new ArrayList<>();
        List<LanguageModel.State> wantStates = new ArrayList<>();
        for (int b = 0; b < prompts.length; b++) {
            var s = lm.newState();
            if (b == 1) for (int t : prefix) lm.step(s, t, Hooks.NONE);
            Map<String, float[]> rec = new HashMap<>();
            Hooks h = recordAll(lm, rec).and(edit(lm));
            float[][] out = new float[prompts[b].length][];
            for (int i = 0; i < out.length; i++) out[i] = lm.step(s, prompts[b][i], h).clone();
            wantHooks.add(rec);
            wantLogits.add(out);
            wantStates.add(s);
        }
        // block forward, all three sequences in one batch
        List<LanguageModel.Sequence> batch = new ArrayList<>();
        List<Map<String, float[]>> gotHooks = new ArrayList<>();
        for (int b = 0; b < prompts.length; b++) {
            var s = lm.newState();
            if (b == 1) for (int t : prefix) lm.step(s, t, Hooks.NONE);
            Map<String, float[]> rec = new HashMap<>();
            gotHooks.add(rec);
            batch.add(new LanguageModel.Sequence(s, prompts[b], recordAll(lm, rec).and(edit(lm))));
        }
        List<float[][]> got = lm.forwardBatch(batch);
        for (int b = 0; b < prompts.length; b++) {
            assertEquals(wantStates.get(b).position(), batch.get(b).state().position());
            for (int i = 0; i < prompts[b].length; i++) assertClose(wantLogits.get(b)[i], got.get(b)[i], "seq " + b + " logits @" + i);
            assertEquals(wantHooks.get(b).keySet(), gotHooks.get(b).keySet(), "seq " + b + " hook firings");
            for (var e : wantHooks.get(b).entrySet()) assertClose(e.getValue(), gotHooks.get(b).get(e.getKey()), "seq " + b + " " + e.getKey());
            for (String part : wantStates.get(b).parts())
                assertClose(wantStates.get(b).part(part), batch.get(b).state().part(part), "seq " + b + " state " + part);
            // decoding continues from the filled state as from the per-token one
            int next = tokens(lm, 1, 5)[0];
            assertClose(lm.step(wantStates.get(b), next, Hooks.NONE).clone(), lm.step(batch.get(b).state(), next, Hooks.NONE), "seq " + b + " next step");
        }
        // the single-sequence forward is the batch of one
        var s = lm.newState();
        float[][] one = lm.forward(s, prompts[2], Hooks.NONE);
        var ref = lm.newState();
        for (int i = 0; i < prompts[2].length; i++) assertClose(lm.step(ref, prompts[2][i], Hooks.NONE), one[i], "forward @" + i);
    }

    static void rejectsBadInput(LanguageModel lm) {
        var s = lm.newState();
        var e = assertThrows(IllegalArgumentException.class, () -> lm.forward(s, new int[]{1, lm.vocabSize()}, Hooks.NONE));
        assertTrue(e.getMessage().contains("outside vocabulary"), e.getMessage());
        assertEquals(0, s.position(), "nothing consumed before the error");
        if (lm.maxSeqLen() < 1 << 20) {
            var e2 = assertThrows(IllegalArgumentException.class, () -> lm.forward(s, new int[lm.maxSeqLen() + 1], Hooks.NONE));
            assertTrue(e2.getMessage().contains("longer than the model's context"), e2.getMessage());
        }
    }

    @Test
    void stories260K() {
        try (Models.Loaded m = Models.load(SharedData.require("models/llama2c/stories260K.bin"), null)) {
            check(m.model());
            rejectsBadInput(m.model());
        }
    }

    @Test
    void tinyHfLlama() {
        try (Models.Loaded m = Models.load(Path.of("src/test/resources/fixtures/llama/untied"), null)) {
            check(m.model());
        }
    }

    @Test
    void tinyRwkv52() {
        try (Models.Loaded m = Models.load(SharedData.require("models/rwkv/tiny-rwkv-5v2-730K-FP32.bin"), null)) {
            check(m.model());
            rejectsBadInput(m.model());
        }
    }

    @Test
    void mambaFixture() {
        try (Models.Loaded m = Models.load(Path.of("src/test/resources/fixtures/mamba"), null)) {
            check(m.model());
            rejectsBadInput(m.model());
        }
    }
}
