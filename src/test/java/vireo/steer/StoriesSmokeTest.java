package vireo.steer;

import org.junit.jupiter.api.Test;
import vireo.lm.Hooks;

import static org.junit.jupiter.api.Assertions.*;

/** Steering a real pretrained model (stories260K) through the test-only llama2.c stand-in. */
class StoriesSmokeTest {
    @Test
    void moodVectorShiftsHappyOverSadMonotonically() throws Exception {
        MoodExperiment.Models m = MoodExperiment.stories();
        // the stand-in reproduces llama2.c's well-known greedy story for this prompt
        int[] p = m.codec().encode("Once upon a time");
        String greedy = m.codec().decode(Sampling.generate(m.model(), p, Hooks.NONE, 30, 0, 1, 2));
        assertTrue(greedy.startsWith(", there was a little girl named Lily. She loved to play outside"), greedy);

        SteeringVector v = MoodExperiment.moodVector(m);
        assertEquals(22, v.nPositive());
        var r = MoodExperiment.logOdds(m, v, java.util.List.of(3), java.util.List.of(-2.0, 0.0, 2.0));
        double lo = r.points().get(0).logOdds(), mid = r.points().get(1).logOdds(), hi = r.points().get(2).logOdds();
        assertTrue(lo < mid - 1 && mid + 1 < hi, "log-odds happy/sad at m=-2,0,2: " + lo + " " + mid + " " + hi);
    }
}
