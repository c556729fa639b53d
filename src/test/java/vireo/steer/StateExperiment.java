package vireo.steer;

import vireo.lm.Hooks;
import vireo.lm.LanguageModel;

import java.nio.file.Path;
import java.util.List;

/**
 * State steering on a recurrent model with a byte vocabulary (tiny RWKV v5): Δstate = difference of final-state
 * means over the happy/sad pairs (every state part, every layer). Before the last prompt token is consumed,
 * m·Δstate is added to one layer's state; the continuation is then scored unsteered. Measured: the mean over
 * probes of log p("happy") − log p("sad") (whole words, byte by byte), and the total-variation distance of the
 * next-byte distribution from the unsteered one. Residual-stream addition at the same layer and token is shown
 * for comparison.
 */
final class StateExperiment {
    static final List<String> PROBES = List.of(
            "Once upon a time, there was a little boy named Tim. He felt very ",
            "One day, Lily went to the park with her mom. She was ",
            "Sam looked at his toy. He was so ",
            "The little dog saw the cat. The dog was ",
            "Mia sat by the window. She felt ",
            "Ben and his friend went to the beach. They were very ",
            "The girl opened the box. She was very ",
            "After school, Tom walked home. He felt ");

    record Effect(double logOdds, double tv) {}

    static ContrastSet moodSet(TextCodec codec, PositionRule rule) {
        SteeringData.ContrastText c = SteeringData.readContrast(Path.of("src/test/resources/steer/mood.json"));
        return Contrasts.texts(c, PromptTemplate.NONE, codec, rule);
    }

    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY, z = 0;
        for (float l : logits) max = Math.max(max, l);
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) z += p[i] = Math.exp(logits[i] - max);
        for (int i = 0; i < p.length; i++) p[i] /= z;
        return p;
    }

    /** Steered at the last prompt token only (state: before it is consumed; add: its activation). */
    static Effect effect(LanguageModel model, TextCodec codec, Intervention.Reference unused, SteeringVector v,
                         Method method, int layer, double mult) {
        double lo = 0, tv = 0;
        for (String p : PROBES) {
            int[] prompt = codec.encode(p);
            Hooks h = Intervention.of(method, v, List.of(layer), mult, Positions.lastPrompt(1)).hooks(prompt.length);
            lo += Sampling.logProb(model, prompt, codec.encode("happy"), h) - Sampling.logProb(model, prompt, codec.encode("sad"), h);
            double[] a = softmax(model.forward(model.newState(), prompt, Hooks.NONE)[prompt.length - 1]);
            double[] b = softmax(model.forward(model.newState(), prompt, h)[prompt.length - 1]);
            double d = 0;
            for (int i = 0; i < a.length; i++) d += Math.abs(a[i] - b[i]);
            tv += d / 2;
        }
        return new Effect(lo / PROBES.size(), tv / PROBES.size());
    }

    static void report(LanguageModel model, TextCodec codec, double[] mults) {
        SteeringVector state = DiffOfMeans.compute(model, "tiny-rwkv-5v2-730K", moodSet(codec, PositionRule.FINAL_STATE), "", null);
        SteeringVector resid = DiffOfMeans.compute(model, "tiny-rwkv-5v2-730K", moodSet(codec, PositionRule.LAST_PROMPT_TOKEN),
                "blocks.{i}.resid_post", null);
        System.out.println("state parts: " + state.sites().keySet().stream().filter(s -> s.startsWith("blocks.0.")).toList());
        for (Method me : List.of(Method.STATE, Method.ADD)) {
            SteeringVector v = me == Method.STATE ? state : resid;
            System.out.println(me.label() + ": mean log p(happy) - log p(sad) [TV distance of next byte]");
            System.out.print("layer");
            for (double mu : mults) System.out.printf("        m=%-6s", mu);
            System.out.println();
            for (int l : v.layers()) {
                System.out.printf("%5d", l);
                for (double mu : mults) {
                    Effect e = effect(model, codec, null, v, me, l, mu);
                    System.out.printf(" %7.3f [%.3f]", e.logOdds(), e.tv());
                }
                System.out.println();
            }
        }
    }
}
