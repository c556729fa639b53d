package vireo.steer;

import vireo.lm.LanguageModel;

import java.nio.file.Path;
import java.util.List;

/**
 * State steering on a recurrent model with a byte vocabulary (tiny RWKV v5): Δstate = difference of final-state
 * means over the happy/sad pairs (every state part, every layer). Before the last prompt token is consumed,
 * m·Δstate is added to one layer's state; the continuation is then scored unsteered. Measured with
 * {@link LogOddsSweep}: mean over the mood probes of log p(" happy") − log p(" sad") (byte by byte), and the
 * total-variation distance of the next-byte distribution. Residual-stream addition of the activation
 * difference-of-means at the same layer and token is shown for comparison.
 */
public final class StateExperiment {
    /** Run: as MoodExperiment, with {@code vireo.steer.StateExperiment [model.bin]} (default: the tiny RWKV v5.2). */
    public static void main(String[] args) throws Exception {
        Path model = args.length > 0 ? Path.of(args[0]) : vireo.SharedData.require("models/rwkv/tiny-rwkv-5v2-730K-FP32.bin");
        try (vireo.lm.Models.Loaded m = vireo.lm.Models.load(model, null)) {
            report(m.model(), TextCodec.bytes(), List.of(-4.0, -2.0, 0.0, 2.0, 4.0));
        }
    }

    static ContrastSet moodSet(TextCodec codec, PositionRule rule) {
        SteeringData.ContrastText c = SteeringData.readContrast(Path.of("src/test/resources/steer/mood.json"));
        return Contrasts.texts(c, PromptTemplate.NONE, codec, rule);
    }

    static void report(LanguageModel model, TextCodec codec, List<Double> mults) throws Exception {
        SteeringVector state = DiffOfMeans.compute(model, "tiny-rwkv-5v2-730K", moodSet(codec, PositionRule.FINAL_STATE), "", null);
        SteeringVector resid = DiffOfMeans.compute(model, "tiny-rwkv-5v2-730K", moodSet(codec, PositionRule.LAST_PROMPT_TOKEN),
                "blocks.{i}.resid_post", null);
        System.out.println("state parts of layer 0: " + state.sites().keySet().stream().filter(s -> s.startsWith("blocks.0.")).toList());
        // probes end in a space, so the first byte of "happy" / "sad" is the next byte after the steered token
        List<String> probes = java.nio.file.Files.readAllLines(Path.of("src/test/resources/steer/mood-probes-byte.txt"));
        record Run(Method method, Positions at, String part) {}
        for (Run run : List.of(new Run(Method.STATE, Positions.lastPrompt(1), null), new Run(Method.STATE, Positions.lastPrompt(3), null),
                new Run(Method.STATE, Positions.lastPrompt(1), "blocks.{i}.state.wkv"),
                new Run(Method.STATE, Positions.lastPrompt(1), "blocks.{i}.state.shift_att"),
                new Run(Method.STATE, Positions.lastPrompt(1), "blocks.{i}.state.shift_ffn"),
                new Run(Method.ADD, Positions.lastPrompt(1), null), new Run(Method.ADD, Positions.ALL, null))) {
            Method me = run.method();
            SteeringVector v = me == Method.STATE ? state : resid;
            LogOddsSweep.Result r = LogOddsSweep.run(model, codec, probes, "happy", "sad", v, List.of(me),
                    v.layers(), mults, run.at(), run.part(), null);
            System.out.printf("%s%s at %s: mean log p(happy) - log p(sad) (unsteered %.3f) [next-byte TV]%n",
                    me.label(), run.part() == null ? "" : " (" + run.part() + " only)", run.at(), r.unsteeredLogOdds());
            System.out.print("layer");
            for (double mu : mults) System.out.printf("   m=%-12s", mu);
            System.out.println();
            for (int l : v.layers()) {
                System.out.printf("%5d", l);
                for (LogOddsSweep.Point p : r.points()) if (p.layer() == l) System.out.printf(" %7.3f [%.3f]", p.logOdds(), p.nextTokenTv());
                System.out.println();
            }
        }
    }
}
