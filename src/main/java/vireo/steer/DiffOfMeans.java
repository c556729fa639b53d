package vireo.steer;

import vireo.lm.Hooks;
import vireo.lm.LanguageModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Difference of class means at every layer at once: one forward per example, with a reading hook on every layer's
 * hook point (or, for {@link PositionRule#FINAL_STATE}, the state parts read after the last token), summed in
 * double. r_l = (1/n⁺)Σx⁺ − (1/n⁻)Σx⁻.
 */
public final class DiffOfMeans {
    private DiffOfMeans() {}

    /** Reads {@code hookTemplate} (e.g. {@code blocks.{i}.resid_post}) at every layer; state rules ignore it. */
    public static SteeringVector compute(LanguageModel model, String modelName, ContrastSet set, String hookTemplate,
                                         IntConsumer progress) {
        boolean state = set.rule() == PositionRule.FINAL_STATE;
        List<String> points = new ArrayList<>();
        if (state) {
            points.addAll(model.newState().parts());
            if (points.isEmpty())
                throw new IllegalArgumentException(model.family() + " has no recurrent state parts; final-state vectors need an RNN");
        } else {
            for (int l = 0; l < model.numLayers(); l++) {
                String p = SteeringVector.point(hookTemplate, l);
                if (!model.hookPoints().contains(p))
                    throw new IllegalArgumentException(model.family() + " publishes no hook point " + p);
                points.add(p);
            }
        }
        Accumulator pos = new Accumulator(points), neg = new Accumulator(points);
        int done = 0;
        if (set.paired()) {
            for (int i = 0; i < set.positives().size(); i++) {
                int[] a = set.positives().get(i), b = set.negatives().get(i);
                int shared = Math.min(commonPrefix(a, b), Math.min(a.length, b.length) - 1);
                LanguageModel.State prefix = model.newState();
                model.consume(prefix, a, 0, shared, Hooks.NONE);
                read(model, prefix.copy(), a, shared, state, pos);
                read(model, prefix, b, shared, state, neg);
                if (progress != null) progress.accept(done += 2);
            }
        } else {
            for (int[] a : set.positives()) { read(model, model.newState(), a, 0, state, pos); if (progress != null) progress.accept(++done); }
            for (int[] b : set.negatives()) { read(model, model.newState(), b, 0, state, neg); if (progress != null) progress.accept(++done); }
        }
        Map<String, SteeringVector.Site> sites = new LinkedHashMap<>();
        for (String p : points) {
            double[] sp = pos.sums.get(p), sn = neg.sums.get(p);
            int d = sp.length;
            float[] r = new float[d], mp = new float[d], mn = new float[d];
            for (int j = 0; j < d; j++) {
                double a = sp[j] / pos.count, b = sn[j] / neg.count;
                mp[j] = (float) a;
                mn[j] = (float) b;
                r[j] = (float) (a - b);
            }
            sites.put(p, new SteeringVector.Site(p, r, mp, mn));
        }
        String hook = state ? "blocks.{i}.state.*" : hookTemplate;
        return new SteeringVector(modelName, hook, set.name(), set.rule().label(), pos.count, neg.count, sites);
    }

    /** Runs tokens[from..] on {@code s} and adds the example's activations (last token / final state) to acc. */
    private static void read(LanguageModel model, LanguageModel.State s, int[] tokens, int from, boolean state, Accumulator acc) {
        int last = s.position() + tokens.length - from - 1;
        Map<String, float[]> seen = new LinkedHashMap<>();
        Hooks hooks = Hooks.NONE;
        if (!state) {
            for (String p : acc.sums.keySet())
                hooks = hooks.with(p, (position, x) -> { if (position == last) seen.put(p, x.clone()); });
        }
        model.consume(s, tokens, from, tokens.length, hooks);
        if (state) for (String p : acc.sums.keySet()) seen.put(p, s.part(p).clone());
        for (String p : acc.sums.keySet()) {
            float[] x = seen.get(p);
            if (x == null) throw new IllegalStateException("hook point " + p + " did not fire at position " + last);
            acc.add(p, x);
        }
        acc.count++;
    }

    static int commonPrefix(int[] a, int[] b) {
        int n = 0;
        while (n < a.length && n < b.length && a[n] == b[n]) n++;
        return n;
    }

    private static final class Accumulator {
        final Map<String, double[]> sums = new LinkedHashMap<>();
        int count;

        Accumulator(List<String> points) { for (String p : points) sums.put(p, null); }

        void add(String p, float[] x) {
            double[] s = sums.get(p);
            if (s == null) sums.put(p, s = new double[x.length]);
            if (s.length != x.length) throw new IllegalStateException(p + " changed size between examples");
            for (int j = 0; j < x.length; j++) s[j] += x[j];
        }
    }
}
