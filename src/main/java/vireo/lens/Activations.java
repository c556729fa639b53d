package vireo.lens;

import vireo.lm.Hooks;
import vireo.lm.LanguageModel;

import java.util.ArrayList;
import java.util.List;

/**
 * Hidden states at every lensed point (blocks.0.resid_pre, blocks.i.resid_post) and the model's final logits, for a
 * token sequence run through {@link LanguageModel#forward} in windows no longer than the model's context.
 */
public record Activations(float[][][] hidden, float[][] finalLogits, int[] tokens) {
    // hidden: [point][position][d]

    public static List<String> points(LanguageModel m) {
        List<String> p = new ArrayList<>();
        p.add("blocks.0.resid_pre");
        for (int l = 0; l < m.numLayers(); l++) p.add("blocks." + l + ".resid_post");
        return p;
    }

    public static Activations of(LanguageModel m, int[] tokens, int window) {
        List<String> names = points(m);
        int n = tokens.length, P = names.size();
        float[][][] hidden = new float[P][n][];
        float[][] logits = new float[n][];
        int w = Math.min(window, m.maxSeqLen());
        for (int start = 0; start < n; start += w) {
            int len = Math.min(w, n - start), base = start;
            Hooks hooks = Hooks.NONE;
            for (int p = 0; p < P; p++) {
                int pi = p;
                hooks = hooks.with(names.get(p), (pos, x) -> hidden[pi][base + pos] = x.clone());
            }
            int[] win = java.util.Arrays.copyOfRange(tokens, start, start + len);
            float[][] out = m.forward(m.newState(), win, hooks);
            System.arraycopy(out, 0, logits, start, len);
        }
        return new Activations(hidden, logits, tokens);
    }
}
