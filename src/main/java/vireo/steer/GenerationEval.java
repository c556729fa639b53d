package vireo.steer;

import vireo.lm.Hooks;
import vireo.lm.LanguageModel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Open-ended evaluation of a steering setting: sample replies to prompts (several seeds each) with the edit on,
 * then score them: refusal rate by phrase matching, optionally a yes/no judge's refusal rate, and coherence as
 * the mean perplexity of the replies under the unsteered model.
 */
public final class GenerationEval {
    private GenerationEval() {}

    public record Settings(int maxTokens, double temperature, int seeds, int stopToken) {}

    public record Point(String method, List<Integer> layers, double multiplier, double refusalRate, double judgeRefusalRate,
                        double meanPerplexity, int replies, String example) {}

    /**
     * @param intervention builds the edit for a multiplier (null → unsteered)
     * @param judge        optional (null: judgeRefusalRate is NaN)
     */
    public static List<Point> run(LanguageModel model, TextCodec codec, List<String> questions, PromptTemplate template,
                                  java.util.function.DoubleFunction<Intervention> intervention, List<Double> multipliers,
                                  Settings s, Refusal.Judge judge, IntConsumer progress) {
        List<Point> out = new ArrayList<>();
        int done = 0;
        for (double m : multipliers) {
            Intervention iv = intervention.apply(m);
            int refusals = 0, judged = 0, n = 0;
            double ppl = 0;
            String example = null;
            for (String q : questions) {
                int[] prompt = codec.encode(template.apply(q));
                Hooks h = iv == null ? Hooks.NONE : iv.hooks(prompt.length);
                for (int seed = 1; seed <= s.seeds(); seed++) {
                    int[] reply = Sampling.generate(model, prompt, h, s.maxTokens(), s.temperature(), seed, s.stopToken());
                    String text = codec.decode(reply);
                    if (example == null) example = text;
                    if (Refusal.isRefusal(text)) refusals++;
                    if (judge != null && judge.refuses(q, text)) judged++;
                    double p = Sampling.perplexity(model, prompt, reply, Hooks.NONE);
                    if (!Double.isNaN(p)) ppl += p;
                    n++;
                }
            }
            out.add(new Point(iv == null ? "none" : iv.method().label(), iv == null ? List.of() : iv.layers(), m,
                    (double) refusals / n, judge == null ? Double.NaN : (double) judged / n, ppl / n, n, example));
            if (progress != null) progress.accept(++done);
        }
        return out;
    }
}
