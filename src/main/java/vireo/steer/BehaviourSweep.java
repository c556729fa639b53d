package vireo.steer;

import vireo.lm.Hooks;
import vireo.lm.LanguageModel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * CAA behaviour score on A/B items: at the next-token position after "(", matching = p(match)/(p(A)+p(B)) and
 * nonsense = 1 − p(A) − p(B), averaged over items, for each intervention of a sweep. The prompt's state before
 * the last {@code k} tokens is computed once per item and copied for every intervention, so a sweep costs
 * k steps per (item, setting); each intervention must therefore only touch the last k prompt tokens.
 */
public final class BehaviourSweep {
    private BehaviourSweep() {}

    /** One setting of a sweep. */
    public record Setting(Method method, int layer, double multiplier) {}

    /** Mean over items of the behaviour score, nonsense, and p(match). */
    public record Point(String method, int layer, double multiplier, double behaviour, double nonsense,
                        double pMatching, int items) {}

    public record Result(Point unsteered, List<Point> points) {}

    /** p(match)/(p(A)+p(B)), 1 − p(A) − p(B), p(match) from next-token logits. */
    public static double[] score(float[] logits, Contrasts.AbTask t) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double z = 0;
        for (float l : logits) z += Math.exp(l - max);
        double pa = Math.exp(logits[t.tokenA()] - max) / z, pb = Math.exp(logits[t.tokenB()] - max) / z;
        double pm = t.matchingIsA() ? pa : pb;
        return new double[]{pm / (pa + pb), 1 - pa - pb, pm};
    }

    /**
     * @param interventionFor builds the intervention of a setting (its positions must lie in the last k prompt
     *                        tokens, e.g. {@link Positions#lastPrompt(int)})
     */
    public static Result run(LanguageModel model, List<Contrasts.AbTask> tasks, List<Setting> settings, int k,
                             java.util.function.BiFunction<Setting, Integer, Intervention> interventionFor,
                             IntConsumer progress) {
        double[][] sums = new double[settings.size() + 1][3];
        int done = 0;
        for (Contrasts.AbTask t : tasks) {
            int n = t.prompt().length, split = Math.max(0, n - k);
            LanguageModel.State prefix = model.newState();
            model.consume(prefix, t.prompt(), 0, split, Hooks.NONE);
            for (int s = 0; s <= settings.size(); s++) {
                Hooks h = s == 0 ? Hooks.NONE : interventionFor.apply(settings.get(s - 1), n).hooks(n);
                LanguageModel.State st = prefix.copy();
                float[] logits = null;
                logits = model.consume(st, t.prompt(), split, n, h);
                double[] sc = score(logits, t);
                for (int j = 0; j < 3; j++) sums[s][j] += sc[j];
            }
            if (progress != null) progress.accept(++done);
        }
        int m = tasks.size();
        Point base = new Point("none", -1, 0, sums[0][0] / m, sums[0][1] / m, sums[0][2] / m, m);
        List<Point> pts = new ArrayList<>();
        for (int s = 0; s < settings.size(); s++) {
            Setting st = settings.get(s);
            pts.add(new Point(st.method().label(), st.layer(), st.multiplier(), sums[s + 1][0] / m, sums[s + 1][1] / m,
                    sums[s + 1][2] / m, m));
        }
        return new Result(base, pts);
    }

    /** The usual sweep: one layer at a time, edits on the last k prompt tokens. */
    public static Result run(LanguageModel model, List<Contrasts.AbTask> tasks, SteeringVector v, List<Method> methods,
                             List<Integer> layers, List<Double> multipliers, int k, IntConsumer progress) {
        List<Setting> settings = new ArrayList<>();
        for (Method me : methods) for (int l : layers) for (double mu : multipliers) settings.add(new Setting(me, l, mu));
        return run(model, tasks, settings, k,
                (s, n) -> Intervention.of(s.method(), v, List.of(s.layer()), s.multiplier(), Positions.lastPrompt(k)), progress);
    }
}
