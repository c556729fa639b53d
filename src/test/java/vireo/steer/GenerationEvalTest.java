package vireo.steer;

import org.junit.jupiter.api.Test;
import vireo.lm.Hooks;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class GenerationEvalTest {
    /** A codec whose decode turns token 3 into a refusal phrase, so refusals are countable on the toy model. */
    static final TextCodec REFUSING = new TextCodec() {
        public int[] encode(String s) { return BehaviourSweepTest.CODEC.encode(s); }
        public String decode(int[] t) {
            StringBuilder b = new StringBuilder();
            for (int x : t) b.append(x == 3 ? "I cannot " : "ok ");
            return b.toString();
        }
    };

    @Test
    void countsRefusalsAndPerplexityPerMultiplier() {
        ToyModel m = InterventionTest.MODEL;
        SteeringVector v = InterventionTest.vector();
        List<String> qs = List.of("abc", "hello");
        GenerationEval.Settings s = new GenerationEval.Settings(6, 1.0, 3, -1);
        List<GenerationEval.Point> pts = GenerationEval.run(m, REFUSING, qs, PromptTemplate.NONE,
                mu -> Intervention.of(Method.ADD, v, List.of(1), mu, Positions.ALL), List.of(0.0, 3.0), s, null, null);
        // oracle: the same samples drawn directly
        for (GenerationEval.Point p : pts) {
            int ref = 0;
            double ppl = 0;
            for (String q : qs) {
                int[] prompt = REFUSING.encode(q);
                Hooks h = Intervention.of(Method.ADD, v, List.of(1), p.multiplier(), Positions.ALL).hooks(prompt.length);
                for (int seed = 1; seed <= 3; seed++) {
                    int[] g = Sampling.generate(m, prompt, h, 6, 1.0, seed, -1);
                    if (Refusal.isRefusal(REFUSING.decode(g))) ref++;
                    ppl += Sampling.perplexity(m, prompt, g, Hooks.NONE);
                }
            }
            assertEquals(ref / 6.0, p.refusalRate(), 1e-12);
            assertEquals(ppl / 6, p.meanPerplexity(), 1e-9);
            assertEquals(6, p.replies());
            assertTrue(Double.isNaN(p.judgeRefusalRate()));
        }
    }
}
