package vireo.steer;

import org.junit.jupiter.api.Test;
import vireo.lm.Hooks;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LogOddsSweepTest {
    @Test
    void equalsDirectTeacherForcedLogProbs() {
        ToyModel m = InterventionTest.MODEL;
        TextCodec c = BehaviourSweepTest.CODEC;
        SteeringVector v = InterventionTest.vector();
        SteeringVector sv = DiffOfMeans.compute(m, "toy", InterventionTest.set(PositionRule.FINAL_STATE), "", null);
        List<String> prompts = List.of("abcde", "hello there", "xy");
        for (Positions pos : List.of(Positions.ALL, Positions.lastPrompt(1), Positions.lastPrompt(2))) {
            for (SteeringVector vec : List.of(v, sv)) {
                Method me = vec.isState() ? Method.STATE : Method.ADD;
                LogOddsSweep.Result r = LogOddsSweep.run(m, c, prompts, "AB", "BA", vec, List.of(me), List.of(0, 1), List.of(-1.5, 0.0, 2.0), pos, null);
                for (LogOddsSweep.Point p : r.points()) {
                    double want = 0;
                    for (String s : prompts) {
                        int[] t = c.encode(s);
                        Hooks h = Intervention.of(me, vec, List.of(p.layer()), p.multiplier(), pos).hooks(t.length);
                        want += Sampling.logProb(m, t, new int[]{10, 11}, h) - Sampling.logProb(m, t, new int[]{11, 10}, h);
                    }
                    assertEquals(want / prompts.size(), p.logOdds(), 1e-9, pos + " " + p);
                    if (p.multiplier() == 0) {
                        assertEquals(r.unsteeredLogOdds(), p.logOdds(), 0.0);
                        assertEquals(0.0, p.nextTokenTv(), 0.0);
                    } else assertTrue(p.nextTokenTv() > 0);
                }
            }
        }
    }
}
