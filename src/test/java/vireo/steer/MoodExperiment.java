package vireo.steer;

import vireo.SharedData;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Happy-vs-sad steering on stories260K, measured two ways:
 * (1) log-prob shift Δ(m) = mean over neutral prompts of [log p(" happy") − log p(" sad")] at the next words,
 * with the vector added at every position; (2) mood words in sampled stories: happy fraction H/(H+S) over all
 * generations (several prompts × seeds), with perplexity of the steered text under the unsteered model.
 *
 * <p>Run: {@code java -cp target/classes:target/test-classes:$(cat cp.txt) vireo.steer.MoodExperiment}
 */
public final class MoodExperiment {
    static final Path PROBES = Path.of("src/test/resources/steer/mood-probes.txt");

    static List<String> probes() throws java.io.IOException { return java.nio.file.Files.readAllLines(PROBES); }

    static final List<String> STARTS = List.of("Once upon a time", "One day, a little girl", "Tom and his dog",
            "The sun was", "Lily went to the park");
    static final Set<String> HAPPY = Set.of("happy", "happily", "smile", "smiled", "smiling", "smiles", "laugh", "laughed",
            "laughing", "fun", "joy", "glad", "excited", "love", "loved", "loves", "great", "cheered", "hug", "hugged", "proud", "yay");
    static final Set<String> SAD = Set.of("sad", "sadly", "cry", "cried", "crying", "cries", "tears", "scared", "angry",
            "upset", "lonely", "alone", "hurt", "mad", "afraid", "sorry", "bad", "lost");

    record Models(LanguageModel model, TextCodec codec) {}

    static Models stories() {
        vireo.lm.Models.Loaded l = vireo.lm.Models.load(SharedData.require("models/llama2c/stories260K.bin"),
                SharedData.require("models/llama2c/tok512.bin"));
        vireo.lm.tokenizer.Tokenizer t = l.tokenizer();
        return new Models(l.model(), new TextCodec() {
            @Override public int[] encode(String text) { return t.encode(text, true); }
            @Override public String decode(int[] tokens) { return t.decode(tokens); }
        });
    }

    static SteeringVector moodVector(Models m) {
        SteeringData.ContrastText c = SteeringData.readContrast(Path.of("src/test/resources/steer/mood.json"));
        return DiffOfMeans.compute(m.model(), "stories260K", Contrasts.texts(c, PromptTemplate.NONE, m.codec(), PositionRule.LAST_PROMPT_TOKEN),
                "blocks.{i}.resid_post", null);
    }

    /** log p(" happy") − log p(" sad") averaged over the probes, ADD at each layer × multiplier, all positions. */
    static LogOddsSweep.Result logOdds(Models m, SteeringVector v, List<Integer> layers, List<Double> mults) throws Exception {
        return LogOddsSweep.run(m.model(), m.codec(), probes(), " happy", " sad", v, List.of(Method.ADD), layers, mults, Positions.ALL, null);
    }

    record Generations(double mult, int happy, int sad, int words, double meanPerplexity, String example) {
        double happyFraction() { return happy + sad == 0 ? Double.NaN : (double) happy / (happy + sad); }
    }

    static Generations generations(Models m, SteeringVector v, int layer, double mult, int seeds, int tokens) {
        int h = 0, s = 0, w = 0;
        double ppl = 0;
        int n = 0;
        String example = null;
        for (String start : STARTS) {
            int[] prompt = m.codec().encode(start);
            Hooks hooks = Intervention.of(Method.ADD, v, List.of(layer), mult, Positions.ALL).hooks(prompt.length);
            for (int seed = 1; seed <= seeds; seed++) {
                int[] g = Sampling.generate(m.model(), prompt, hooks, tokens, 1.0, seed, 2);
                String text = m.codec().decode(g);
                if (example == null) example = start + text;
                for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
                    if (word.isEmpty()) continue;
                    w++;
                    if (HAPPY.contains(word)) h++;
                    if (SAD.contains(word)) s++;
                }
                ppl += Sampling.perplexity(m.model(), prompt, g, Hooks.NONE);
                n++;
            }
        }
        return new Generations(mult, h, s, w, ppl / n, example);
    }

    public static void main(String[] args) throws Exception {
        Models m = stories();
        long t0 = System.nanoTime();
        SteeringVector v = moodVector(m);
        System.out.printf("mood vector: %d pairs, %.2f s%n", v.nPositive(), (System.nanoTime() - t0) / 1e9);
        java.nio.file.Files.createDirectories(Path.of("target"));
        VectorFile.save(Path.of("target/mood-stories260K.safetensors"), v);
        List<Double> mults = List.of(-4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0);
        LogOddsSweep.Result r = logOdds(m, v, v.layers(), mults);
        System.out.printf("log p(happy) - log p(sad), mean over %d probes (unsteered %.3f); [next-token TV]%n", probes().size(), r.unsteeredLogOdds());
        System.out.print("layer   |r|");
        for (double mu : mults) System.out.printf("   m=%-12s", mu);
        System.out.println();
        int best = 0;
        double bestGain = Double.NEGATIVE_INFINITY;
        for (int l : v.layers()) {
            System.out.printf("%5d %5.2f", l, v.layer(l).norm());
            double lo = 0, hi = 0;
            for (LogOddsSweep.Point p : r.points()) {
                if (p.layer() != l) continue;
                if (p.multiplier() == -2) lo = p.logOdds();
                if (p.multiplier() == 2) hi = p.logOdds();
                System.out.printf(" %7.3f [%.3f]", p.logOdds(), p.nextTokenTv());
            }
            System.out.println();
            if (hi - lo > bestGain) { bestGain = hi - lo; best = l; }
        }
        int layer = args.length > 0 ? Integer.parseInt(args[0]) : best;
        System.out.printf("other edits at layer %d, all positions (log-odds [next-token TV]):%n", layer);
        for (Method me : List.of(Method.ABLATE, Method.AFFINE, Method.ACE)) {
            List<Double> ps = me == Method.ACE ? List.of(-1.0, 0.0, 0.5, 1.0, 2.0) : List.of(0.0);
            LogOddsSweep.Result e = LogOddsSweep.run(m.model(), m.codec(), probes(), " happy", " sad", v, List.of(me), List.of(layer), ps, Positions.ALL, null);
            for (LogOddsSweep.Point p : e.points())
                System.out.printf("  %-6s %s %7.3f [%.3f]%n", me.label(), me == Method.ACE ? "α=" + p.multiplier() : "     ", p.logOdds(), p.nextTokenTv());
        }
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        System.out.printf("generations at layer %d: %d starts x %d seeds, 80 tokens, T=1.0%n", layer, STARTS.size(), seeds);
        System.out.println("    m  happy  sad  words  happy-fraction  happy/100w  sad/100w  ppl(unsteered model)");
        for (double mu : new double[]{-4, -2, -1, 0, 1, 2, 4}) {
            Generations g = generations(m, v, layer, mu, seeds, 80);
            System.out.printf("%5.1f %6d %4d %6d %15.3f %11.2f %9.2f %10.2f%n", mu, g.happy(), g.sad(), g.words(), g.happyFraction(),
                    100.0 * g.happy() / g.words(), 100.0 * g.sad() / g.words(), g.meanPerplexity());
            System.out.println("      e.g. " + g.example().replace('\n', ' '));
        }
    }
}
