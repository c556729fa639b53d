package vireo.steer;

import vireo.lm.Hooks;
import vireo.lm.LanguageModel;
import vireo.lm.Sampler;

import java.util.Arrays;

/**
 * Generation with hooks on, sampled by {@link vireo.lm.Sampler} (temperature, greedy at T = 0, seeded), and the
 * teacher-forced scores steering evaluations need.
 */
public final class Sampling {
    private Sampling() {}

    /**
     * Consumes {@code prompt} then samples up to {@code maxTokens} tokens with {@code hooks} on every step (the
     * hooks' position predicates pick prompt or generated tokens). Stops after {@code stopToken} (if ≥ 0).
     */
    public static int[] generate(LanguageModel model, int[] prompt, Hooks hooks, int maxTokens, double temperature,
                                 long seed, int stopToken) {
        Sampler sampler = new Sampler((float) temperature, 1f, seed);
        LanguageModel.State s = model.newState();
        float[] logits = null;
        logits = model.consume(s, prompt, 0, prompt.length, hooks);
        int[] out = new int[maxTokens];
        int n = 0;
        while (n < maxTokens && s.position() < model.maxSeqLen()) {
            int next = sampler.sample(logits);
            out[n++] = next;
            if (next == stopToken) break;
            if (n < maxTokens) logits = model.step(s, next, hooks);
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Coherence: perplexity of {@code continuation} after {@code prompt} under the model with {@code hooks}
     * (pass {@link Hooks#NONE} to score steered text under the unsteered model): exp of the mean negative
     * log-likelihood of the continuation tokens.
     */
    public static double perplexity(LanguageModel model, int[] prompt, int[] continuation, Hooks hooks) {
        if (continuation.length == 0) return Double.NaN;
        LanguageModel.State s = model.newState();
        float[] logits = null;
        logits = model.consume(s, prompt, 0, prompt.length, hooks);
        double nll = 0;
        for (int i = 0; i < continuation.length; i++) {
            nll -= logSoftmax(logits, continuation[i]);
            if (i + 1 < continuation.length) logits = model.step(s, continuation[i], hooks);
        }
        return Math.exp(nll / continuation.length);
    }

    /**
     * log p(continuation | prompt) summed over the continuation's tokens, teacher-forced, with {@code hooks} on
     * every step (their position predicates decide which tokens are edited).
     */
    public static double logProb(LanguageModel model, int[] prompt, int[] continuation, Hooks hooks) {
        LanguageModel.State s = model.newState();
        float[] logits = null;
        logits = model.consume(s, prompt, 0, prompt.length, hooks);
        double lp = 0;
        for (int i = 0; i < continuation.length; i++) {
            lp += logSoftmax(logits, continuation[i]);
            if (i + 1 < continuation.length) logits = model.step(s, continuation[i], hooks);
        }
        return lp;
    }

    static double logSoftmax(float[] logits, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double z = 0;
        for (float l : logits) z += Math.exp(l - max);
        return logits[token] - max - Math.log(z);
    }
}
