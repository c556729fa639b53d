package vireo.lm;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from logits: greedy at temperature 0, otherwise softmax(logits / T) restricted to the smallest
 * set of tokens whose probabilities reach {@code topP} (nucleus sampling), drawn with a seeded generator.
 */
public final class Sampler {
    private final float temperature, topP;
    private final SplittableRandom rng;
    private float[] probs = new float[0];
    private Integer[] order = new Integer[0];

    public Sampler(float temperature, float topP, long seed) {
        if (temperature < 0) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (topP <= 0 || topP > 1) throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        this.temperature = temperature;
        this.topP = topP;
        this.rng = new SplittableRandom(seed);
    }

    public static Sampler greedy() { return new Sampler(0f, 1f, 0); }

    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    public int sample(float[] logits) {
        if (temperature == 0f) return argmax(logits);
        int n = logits.length;
        if (probs.length != n) probs = new float[n];
        float max = Float.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += probs[i] = (float) Math.exp((logits[i] - max) / temperature);
        for (int i = 0; i < n; i++) probs[i] /= (float) sum;
        double u = rng.nextDouble();
        if (topP >= 1f) {
            double c = 0;
            for (int i = 0; i < n; i++) if ((c += probs[i]) > u) return i;
            return n - 1;
        }
        if (order.length != n) {
            order = new Integer[n];
        }
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Float.compare(probs[b], probs[a]));
        double mass = 0;
        int keep = 0;
        while (keep < n && mass < topP) mass += probs[order[keep++]];
        double c = 0, target = u * mass;
        for (int i = 0; i < keep; i++) if ((c += probs[order[i]]) > target) return order[i];
        return order[keep - 1];
    }
}
