package vireo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vireo.lens.*;
import vireo.lm.Models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** vireo lens train | eval: logit and tuned lenses over blocks.0.resid_pre and every resid_post. */
@Command(name = "lens", mixinStandardHelpOptions = true, description = "Logit lens and tuned lens.",
        subcommands = {LensCommand.Train.class, LensCommand.Eval.class})
public final class LensCommand {

    static List<Activations> activations(Models.Loaded m, List<Path> texts, int seqLen, long[] bytes) {
        List<Activations> out = new ArrayList<>();
        try (var bar = Progress.bar("activations", texts.size())) {
        for (Path p : texts) {
            String s;
            try { s = Files.readString(p, StandardCharsets.UTF_8); } catch (IOException e) { throw new UserError(p + ": " + e.getMessage()); }
            bytes[0] += s.getBytes(StandardCharsets.UTF_8).length;
            int[] tok = m.tokenizer().encode(s, true);
            if (tok.length == 0) throw new UserError(p + ": no tokens");
            out.add(Activations.of(m.model(), tok, seqLen));
            bar.step();
        }
        }
        return out;
    }

    @Command(name = "train", mixinStandardHelpOptions = true, description = "Train a tuned lens (KL to the final layer).")
    static final class Train implements Runnable {
        @Mixin LmModelOptions model;
        @Option(names = "--text", required = true, arity = "1..*") List<Path> text;
        @Option(names = "--steps", defaultValue = "250") int steps;
        @Option(names = "--tokens-per-step", defaultValue = "256") int tokensPerStep;
        @Option(names = "--seq-len", defaultValue = "256") int seqLen;
        @Option(names = "--loss", defaultValue = "KL", description = "KL or CE") LensTrainer.Loss loss;
        @Option(names = "--seed", defaultValue = "0") long seed;
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR") Path output;

        @Override public void run() {
            try (Models.Loaded m = model.load(true)) {
                long t0 = System.nanoTime();
                List<Activations> data = activations(m, text, seqLen, new long[1]);
                TunedLens lens = TunedLens.identity(Decoder.of(m.model()), m.model().numLayers());
                var d = LensTrainer.Options.defaults();
                double[] l;
                try (var bar = Progress.bar("lens train", steps)) {
                    l = LensTrainer.train(lens, data, new LensTrainer.Options(steps, tokensPerStep, d.lr(), d.momentum(), d.weightDecay(), d.clip(), loss, seed),
                            (step, x) -> { bar.step(); bar.setExtraMessage(String.format(" loss %.4f", x)); });
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                LensFile.save(lens, output, model.model.toString());
                System.out.printf("trained %d steps x %d tokens in %.1f s (%.0f tokens/s); loss %.4f -> %.4f%n",
                        steps, tokensPerStep, sec, steps * (double) tokensPerStep / sec, l[0], l[l.length - 1]);
            }
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true, description = "Per-layer KL, CE and entropy of a lens.")
    static final class Eval implements Runnable {
        @Mixin LmModelOptions model;
        @Option(names = "--text", required = true) Path text;
        @Option(names = "--lens", required = true, description = "logit, or a lens folder") String lens;
        @Option(names = "--seq-len", defaultValue = "256") int seqLen;
        @Option(names = "--json") boolean json;

        @Override public void run() {
            try (Models.Loaded m = model.load(true)) {
                long[] bytes = new long[1];
                List<Activations> data = activations(m, List.of(text), seqLen, bytes);
                Decoder dec = Decoder.of(m.model());
                Lens l = lens.equals("logit") ? new LogitLens(dec, m.model().numLayers() + 1) : LensFile.load(Path.of(lens), dec);
                LensEvaluation e = LensEvaluation.of(l, Activations.points(m.model()), data, bytes[0]);
                if (json) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("model", model.model.toString());
                    o.put("lens", lens);
                    o.put("tokens", e.tokens());
                    o.put("bytes", e.bytes());
                    List<Map<String, Object>> ls = new ArrayList<>();
                    for (var x : e.layers()) {
                        Map<String, Object> r = new LinkedHashMap<>();
                        r.put("hook", x.hook()); r.put("kl", x.kl()); r.put("ce", x.ce()); r.put("entropy", x.entropy());
                        r.put("kl_bits_per_byte", x.klBitsPerByte()); r.put("ce_bits_per_byte", x.ceBitsPerByte());
                        ls.add(r);
                    }
                    o.put("layers", ls);
                    try { System.out.println(JsonOutput.mapper().writeValueAsString(o)); } catch (IOException ex) { throw new UncheckedIOException(ex); }
                } else {
                    System.out.printf("%-22s %8s %8s %8s%n", "hook", "kl", "ce", "entropy");
                    for (var x : e.layers()) System.out.printf("%-22s %8.4f %8.4f %8.4f%n", x.hook(), x.kl(), x.ce(), x.entropy());
                }
            }
        }
    }
}
