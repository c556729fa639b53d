package vireo.steer;

import org.junit.jupiter.api.Test;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

public class BehaviourSweepTest {
    static final ToyModel MODEL = InterventionTest.MODEL;

    /** Letters of a 12-token toy vocabulary: 'a'..'l'; "A" → 10, "B" → 11. */
    public static final TextCodec CODEC = new TextCodec() {
        public int[] encode(String text) {
            int[] t = new int[text.length()];
            for (int i = 0; i < t.length; i++) {
                char c = text.charAt(i);
                t[i] = c == 'A' ? 10 : c == 'B' ? 11 : Math.floorMod(c, 10);
            }
            return t;
        }

        public String decode(int[] tokens) {
            StringBuilder b = new StringBuilder();
            for (int t : tokens) b.append((char) ('a' + t));
            return b.toString();
        }
    };

    static List<SteeringData.AbItem> items() {
        List<SteeringData.AbItem> out = new ArrayList<>();
        String[] qs = {"xyz", "hello", "abc", "quux", "steer", "model"};
        for (int i = 0; i < qs.length; i++)
            out.add(i % 2 == 0 ? new SteeringData.AbItem(qs[i], "(A)", "(B)") : new SteeringData.AbItem(qs[i], "(B)", "(A)"));
        return out;
    }

    @Test
    void sweepEqualsDirectRunsAndZeroEqualsBaseline() {
        PromptTemplate t = new PromptTemplate("toy", "{q}:(");
        ContrastSet cs = Contrasts.caa("toy", items(), t, CODEC);
        assertEquals(PositionRule.ANSWER_LETTER, cs.rule());
        SteeringVector v = DiffOfMeans.compute(MODEL, "toy", cs, "blocks.{i}.resid_post", null);
        List<Contrasts.AbTask> tasks = Contrasts.abTasks(items(), t, CODEC);
        assertEquals(10, tasks.get(0).tokenA());
        BehaviourSweep.Result r = BehaviourSweep.run(MODEL, tasks, v, List.of(Method.ADD, Method.ACE), List.of(0, 1),
                List.of(-2.0, 0.0, 2.0), 1, null);
        assertEquals(12, r.points().size());
        // oracle: full runs from scratch, hooks on every step
        for (BehaviourSweep.Point p : r.points()) {
            double sum = 0;
            for (Contrasts.AbTask task : tasks) {
                Hooks h = Intervention.of(Method.parse(p.method()), v, List.of(p.layer()), p.multiplier(), Positions.lastPrompt(1)).hooks(task.prompt().length);
                float[][] lg = MODEL.forward(MODEL.newState(), task.prompt(), h);
                sum += BehaviourSweep.score(lg[lg.length - 1], task)[0];
            }
            assertEquals(sum / tasks.size(), p.behaviour(), 1e-12, p.toString());
            if (p.method().equals("add") && p.multiplier() == 0) assertEquals(r.unsteered().behaviour(), p.behaviour(), 0.0);
        }
        double lo = r.points().get(0).behaviour(), hi = r.points().get(2).behaviour();  // add, layer 0, m = -2 / +2
        assertNotEquals(lo, hi);
    }

    @Test
    void scoreIsMatchingOverAPlusB() {
        float[] logits = new float[12];
        logits[10] = (float) Math.log(3);  // p(A) ∝ 3, p(B) ∝ 1, others 1 each
        Contrasts.AbTask t = new Contrasts.AbTask(new int[]{1}, 10, 11, false);
        double[] s = BehaviourSweep.score(logits, t);
        assertEquals(0.25, s[0], 1e-6);
        assertEquals(1 - 4.0 / 14, s[1], 1e-6);
    }

    @Test
    void stateSweepAndGenerationAreSeededAndHooked() {
        SteeringVector sv = DiffOfMeans.compute(MODEL, "toy", InterventionTest.set(PositionRule.FINAL_STATE), "", null);
        List<Contrasts.AbTask> tasks = Contrasts.abTasks(items(), new PromptTemplate("toy", "{q}:("), CODEC);
        BehaviourSweep.Result r = BehaviourSweep.run(MODEL, tasks, sv, List.of(Method.STATE), List.of(1), List.of(0.0, 3.0), 3, null);
        assertEquals(r.unsteered().behaviour(), r.points().get(0).behaviour(), 0.0);
        assertNotEquals(r.unsteered().behaviour(), r.points().get(1).behaviour());

        int[] prompt = {1, 2, 3};
        int[] a = Sampling.generate(MODEL, prompt, Hooks.NONE, 10, 1.0, 5, -1);
        assertArrayEquals(a, Sampling.generate(MODEL, prompt, Hooks.NONE, 10, 1.0, 5, -1));
        assertEquals(10, a.length);
        // perplexity oracle: exp(mean NLL) computed from the forward logits directly
        float[][] lg = MODEL.forward(MODEL.newState(), new int[]{1, 2, 3, a[0], a[1]}, Hooks.NONE);
        double nll = -Sampling.logSoftmax(lg[2], a[0]) - Sampling.logSoftmax(lg[3], a[1]) - Sampling.logSoftmax(lg[4], a[2]);
        assertEquals(Math.exp(nll / 3), Sampling.perplexity(MODEL, prompt, new int[]{a[0], a[1], a[2]}, Hooks.NONE), 1e-9);
        // steering only generated tokens leaves the first sampled token's distribution alone
        SteeringVector v = InterventionTest.vector();
        Hooks gen = Intervention.of(Method.ADD, v, List.of(0, 1), 8, Positions.GENERATED).hooks(prompt.length);
        int[] b = Sampling.generate(MODEL, prompt, gen, 10, 0, 5, -1);
        int[] g = Sampling.generate(MODEL, prompt, Hooks.NONE, 10, 0, 5, -1);
        assertEquals(g[0], b[0]);
    }
}
