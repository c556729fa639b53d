package vireo.steer;

import vireo.lm.Hooks;
import vireo.lm.LanguageModel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A free-text behaviour score: over neutral prompts, the mean of log p(positive continuation) − log p(negative
 * continuation) (each continuation teacher-forced, token log-probs summed), under each steering setting; plus the
 * total-variation distance of the next-token distribution from the unsteered one (how hard the edit pushes). E.g.
 * " happy" vs " sad" after "She felt very". The unsteered prefix before the first edited position is run once
 * per prompt and copied.
 */
public final class LogOddsSweep {
    private LogOddsSweep() {}

    public record Point(String method, int layer, double multiplier, double logOdds, double nextTokenTv, int prompts) {}

    public record Result(double unsteeredLogOdds, List<Point> points) {}

    public static Result run(LanguageModel model, TextCodec codec, List<String> prompts, String positive, String negative,
                             SteeringVector v, List<Method> methods, List<Integer> layers, List<Double> multipliers,
                             Positions positions, IntConsumer progress) {
        return run(model, codec, prompts, positive, negative, v, methods, layers, multipliers, positions, null, progress);
    }

    /** @param applyAt hook template to edit (or state part, e.g. {@code blocks.{i}.state.wkv}); null = the vector's own */
    public static Result run(LanguageModel model, TextCodec codec, List<String> prompts, String positive, String negative,
                             SteeringVector v, List<Method> methods, List<Integer> layers, List<Double> multipliers,
                             Positions positions, String applyAt, IntConsumer progress) {
        List<BehaviourSweep.Setting> settings = new ArrayList<>();
        for (Method me : methods) for (int l : layers) for (double mu : multipliers) settings.add(new BehaviourSweep.Setting(me, l, mu));
        double[] lo = new double[settings.size() + 1], tv = new double[settings.size() + 1];
        int done = 0;
        for (String p : prompts) {
            int[] prompt = codec.encode(p);
            int[] pos = continuation(codec, p, positive), neg = continuation(codec, p, negative);
            int n = prompt.length, split = Math.min(positions.first(n), n - 1);
            LanguageModel.State prefix = model.newState();
            model.consume(prefix, prompt, 0, split, Hooks.NONE);
            double[] base = null;
            for (int s = 0; s <= settings.size(); s++) {
                Hooks h = Hooks.NONE;
                if (s > 0) {
                    BehaviourSweep.Setting st = settings.get(s - 1);
                    h = new Intervention(st.method(), v, List.of(st.layer()), st.multiplier(), positions, applyAt, null).hooks(n);
                }
                LanguageModel.State state = prefix.copy();
                float[] logits = null;
                logits = model.consume(state, prompt, split, n, h);
                double[] next = softmax(logits);
                if (s == 0) base = next;
                double d = 0;
                for (int i = 0; i < next.length; i++) d += Math.abs(next[i] - base[i]);
                tv[s] += d / 2;
                lo[s] += score(model, state.copy(), logits, pos, h) - score(model, state, logits, neg, h);
            }
            if (progress != null) progress.accept(++done);
        }
        int m = prompts.size();
        List<Point> pts = new ArrayList<>();
        for (int s = 0; s < settings.size(); s++) {
            BehaviourSweep.Setting st = settings.get(s);
            pts.add(new Point(st.method().label(), st.layer(), st.multiplier(), lo[s + 1] / m, tv[s + 1] / m, m));
        }
        return new Result(lo[0] / m, pts);
    }

    /** Sum of log p over {@code tokens}, starting from {@code logits} after the prompt. */
    static double score(LanguageModel model, LanguageModel.State s, float[] logits, int[] tokens, Hooks h) {
        double lp = 0;
        for (int i = 0; i < tokens.length; i++) {
            lp += Sampling.logSoftmax(logits, tokens[i]);
            if (i + 1 < tokens.length) logits = model.step(s, tokens[i], h);
        }
        return lp;
    }

    /**
     * The tokens {@code text} adds after {@code prompt}: encode(prompt + text) minus encode(prompt) when the latter
     * is a prefix; otherwise encode(text) without a leading BOS-like token shared with the prompt's first token.
     */
    public static int[] continuation(TextCodec codec, String prompt, String text) {
        int[] a = codec.encode(prompt), b = codec.encode(prompt + text);
        int same = DiffOfMeans.commonPrefix(a, b);
        if (same == a.length && b.length > a.length) return java.util.Arrays.copyOfRange(b, same, b.length);
        int[] t = codec.encode(text);
        int skip = t.length > 1 && a.length > 0 && t[0] == a[0] ? 1 : 0;
        return java.util.Arrays.copyOfRange(t, skip, t.length);
    }

    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY, z = 0;
        for (float l : logits) max = Math.max(max, l);
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) z += p[i] = Math.exp(logits[i] - max);
        for (int i = 0; i < p.length; i++) p[i] /= z;
        return p;
    }
}
