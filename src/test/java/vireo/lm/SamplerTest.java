package vireo.lm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SamplerTest {
    @Test
    void temperatureZeroIsArgmax() {
        assertEquals(3, new Sampler(0f, 1f, 7).sample(new float[]{0.1f, -2f, 1.5f, 2.5f, 2.4f}));
    }

    @Test
    void samplesFollowSoftmaxAndAreSeeded() {
        // softmax of ln(1), ln(2), ln(3) is 1/6, 2/6, 3/6
        float[] logits = {0f, (float) Math.log(2), (float) Math.log(3)};
        Sampler s = new Sampler(1f, 1f, 42);
        int n = 60_000;
        int[] count = new int[3];
        int[] first = new int[50];
        for (int i = 0; i < n; i++) {
            int t = s.sample(logits);
            count[t]++;
            if (i < first.length) first[i] = t;
        }
        for (int k = 0; k < 3; k++) assertEquals((k + 1) / 6.0, count[k] / (double) n, 0.01, "token " + k);
        Sampler again = new Sampler(1f, 1f, 42);
        for (int t : first) assertEquals(t, again.sample(logits));
    }

    @Test
    void topPKeepsOnlyTheNucleus() {
        float[] logits = {0f, (float) Math.log(2), (float) Math.log(3)};
        // top-p 0.5: the most likely token alone already holds 1/2 of the mass
        Sampler s = new Sampler(1f, 0.5f, 1);
        for (int i = 0; i < 1000; i++) assertEquals(2, s.sample(logits));
        // top-p 0.8: tokens 2 and 1 (5/6 of the mass); token 0 never drawn
        Sampler s2 = new Sampler(1f, 0.8f, 1);
        int[] count = new int[3];
        for (int i = 0; i < 20_000; i++) count[s2.sample(logits)]++;
        assertEquals(0, count[0]);
        assertEquals(0.6, count[2] / 20_000.0, 0.02);
    }
}
