package vireo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarStyle;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;
import vireo.steer.BehaviourSweep;
import vireo.steer.ContrastSet;
import vireo.steer.Contrasts;
import vireo.steer.DiffOfMeans;
import vireo.steer.GenerationEval;
import vireo.steer.Intervention;
import vireo.steer.LogOddsSweep;
import vireo.steer.Method;
import vireo.steer.PositionRule;
import vireo.steer.Positions;
import vireo.steer.PromptTemplate;
import vireo.steer.Refusal;
import vireo.steer.Sampling;
import vireo.steer.SteeringData;
import vireo.steer.SteeringVector;
import vireo.steer.TextCodec;
import vireo.steer.VectorFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;

/** {@code vireo steer}: steering vectors from contrastive data, multiplier sweeps, steered generation. */
@Command(name = "steer", mixinStandardHelpOptions = true,
        description = "Steer language models: difference-of-means vectors, interventions (add, ablate, affine, ace, "
                + "state), behaviour sweeps and steered generation.",
        subcommands = {SteerCommand.Vectors.class, SteerCommand.Sweep.class, SteerCommand.LogOdds.class, SteerCommand.RefusalRate.class, SteerCommand.Generate.class})
public final class SteerCommand implements Runnable {
    @Override
    public void run() { picocli.CommandLine.usage(this, System.out); }

    static final ObjectMapper JSON = JsonOutput.mapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A loaded model with its tokenizer as steering sees them. */
    record Loaded(LanguageModel model, TextCodec codec, String name) implements AutoCloseable {
        @Override public void close() { model.close(); }
    }

    /** How model files become models; tests swap in a toy model. */
    static java.util.function.BiFunction<Path, Path, Loaded> loader = ModelLoading::load;

    static Loaded load(Path model, Path tokenizer) {
        if (!Files.exists(model)) throw new UserError(model + ": no such file");
        return loader.apply(model, tokenizer);
    }

    /** The model of the shared options, its codec with the --bos/--no-bos override applied. */
    static Loaded load(ModelOptions o) {
        Loaded m = load(o.model, o.tokenizer);
        return o.bos == null ? m : new Loaded(m.model(), m.codec().withBos(o.bos), m.name());
    }

    /** Parsed shared options. */
    static final class ModelOptions {
        Path model, tokenizer, data;
        String template;
        boolean json;
        Boolean bos;
    }

    /** Checks that {@code template} at every given layer names a point the model publishes (one-line error, exit 2). */
    static void checkHook(String option, String template, LanguageModel lm, Iterable<Integer> layers) {
        for (int l : layers) {
            try {
                vireo.lm.HookPoints.resolve(lm.hookPoints(), SteeringVector.point(template, l));
            } catch (IllegalArgumentException e) {
                throw new UserError(option + ": " + e.getMessage());
            }
        }
    }

    static PromptTemplate template(String s) {
        try {
            return PromptTemplate.parse(s);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** caa:BEHAVIOUR | caa:FILE.json | ace | ace-replies | contrast:FILE.json */
    static ContrastSet trainingSet(String spec, ModelOptions o, TextCodec codec, boolean state, Integer limit) {
        PromptTemplate t = template(o.template);
        ContrastSet cs;
        if (spec.startsWith("caa:")) {
            Path f = caaPath(spec.substring(4), o.data, false);
            cs = Contrasts.caa("caa:" + spec.substring(4), limit(SteeringData.readCaa(f), limit), t, codec);
        } else if (spec.equals("ace") || spec.equals("ace-replies")) {
            List<SteeringData.AceRow> rows = SteeringData.readAceHarm(o.data.resolve("refusal/ace_harm_dataset.csv"));
            cs = spec.equals("ace") ? Contrasts.acePrompts(rows, t, codec) : Contrasts.aceReplies(rows, t, codec);
        } else if (spec.startsWith("contrast:")) {
            cs = Contrasts.texts(SteeringData.readContrast(Path.of(spec.substring(9))), t, codec, PositionRule.LAST_PROMPT_TOKEN);
        } else {
            throw new UserError("unknown dataset '" + spec + "' (caa:<behaviour>, caa:FILE.json, ace, ace-replies, contrast:FILE.json)");
        }
        return state ? Contrasts.asState(cs) : cs;
    }

    static Path caaPath(String behaviourOrFile, Path data, boolean test) {
        if (behaviourOrFile.endsWith(".json")) return Path.of(behaviourOrFile);
        Path f = SteeringData.caaFile(data, behaviourOrFile, test);
        if (!Files.exists(f)) throw new UserError(f + ": no such file (unknown behaviour '" + behaviourOrFile + "' or wrong --data)");
        return f;
    }

    static <T> List<T> limit(List<T> xs, Integer n) { return n == null || n >= xs.size() ? xs : xs.subList(0, n); }

    static <T> T withProgress(String task, int total, java.util.function.Function<IntConsumer, T> work) {
        try (ProgressBar pb = Progress.builder(task, total).setStyle(ProgressBarStyle.ASCII).continuousUpdate().build()) {
            return work.apply(pb::stepTo);
        }
    }

    static List<Integer> ints(String csv) {
        List<Integer> out = new ArrayList<>();
        try {
            for (String s : csv.split(",")) if (!s.isBlank()) out.add(Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            throw new UserError("bad integer list '" + csv + "'");
        }
        return out;
    }

    static Method method(String s) {
        try {
            return Method.parse(s);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    static void writeAtomically(Path out, java.util.function.Consumer<Path> writer) {
        vireo.io.OutputFile.writeVia(out, writer::accept);
    }

    @Command(name = "vectors", mixinStandardHelpOptions = true,
            description = "Compute difference-of-means steering vectors at every layer and save them as safetensors.")
    static final class Vectors implements Callable<Integer> {
        @picocli.CommandLine.Mixin ModelOptionsMixin mo;
        @Option(names = "--dataset", required = true, description = "caa:<behaviour> | caa:FILE.json | ace | ace-replies | contrast:FILE.json")
        String dataset;
        @Option(names = "--hook", defaultValue = "blocks.{i}.resid_post", description = "Hook template read (default: ${DEFAULT-VALUE}).")
        String hook;
        @Option(names = "--state", description = "Read the final recurrent state (all state parts) instead of an activation.")
        boolean state;
        @Option(names = "--limit", description = "Use at most this many items of the data set.")
        Integer limit;
        @Option(names = {"-o", "--output"}, required = true, description = "Output .safetensors file.")
        Path output;

        @Override
        public Integer call() throws Exception {
            OptionChecks.positive("--limit", limit);
            ModelOptions o = mo.options("plain");
            try (Loaded m = load(o)) {
                if (!state) checkHook("--hook", hook, m.model(), java.util.stream.IntStream.range(0, m.model().numLayers()).boxed().toList());
                ContrastSet cs = trainingSet(dataset, o, m.codec(), state, limit);
                int total = cs.positives().size() + cs.negatives().size();
                SteeringVector v;
                try {
                    v = withProgress("vectors", total, p -> DiffOfMeans.compute(m.model(), m.name(), cs, hook, p));
                } catch (IllegalArgumentException e) {
                    throw new UserError(e.getMessage());
                }
                writeAtomically(output, tmp -> VectorFile.save(tmp, v));
                Map<String, Object> res = new LinkedHashMap<>();
                res.put("output", output.toString());
                res.put("model", v.model());
                res.put("hook", v.hook());
                res.put("dataset", v.dataset());
                res.put("position_rule", v.positionRule());
                res.put("n_positive", v.nPositive());
                res.put("n_negative", v.nNegative());
                Map<String, Double> norms = new LinkedHashMap<>();
                for (SteeringVector.Site s : v.sites().values()) norms.put(s.point(), s.norm());
                res.put("norms", norms);
                if (o.json) System.out.println(JSON.writeValueAsString(res));
                else {
                    System.out.printf("%s: %d positive, %d negative examples (%s), read at %s%n", v.dataset(), v.nPositive(),
                            v.nNegative(), v.positionRule(), v.hook());
                    norms.forEach((k, n) -> System.out.printf("  %-28s |r| = %.5g%n", k, n));
                    System.out.println("wrote " + output);
                }
                return 0;
            }
        }
    }

    @Command(name = "sweep", mixinStandardHelpOptions = true,
            description = "CAA behaviour score p(match)/(p(A)+p(B)) on an A/B test set, swept over methods, layers and multipliers.")
    static final class Sweep implements Callable<Integer> {
        @picocli.CommandLine.Mixin ModelOptionsMixin mo;
        @Option(names = "--vectors", required = true, description = "Steering vectors (.safetensors from 'steer vectors').")
        Path vectors;
        @Option(names = "--method", defaultValue = "add", split = ",", description = "add, ablate, affine, ace, state (comma list; default: ${DEFAULT-VALUE}).")
        List<String> methods;
        @Option(names = "--layers", description = "Layers, e.g. 0,1,2 (default: all).")
        String layers;
        @Option(names = "--multipliers", defaultValue = "-2,-1,0,1,2", description = "Multipliers m (α for ace) (default: ${DEFAULT-VALUE}).")
        String multipliers;
        @Option(names = "--dataset", required = true, description = "caa:<behaviour> (its test_dataset_ab.json) or caa:FILE.json.")
        String dataset;
        @Option(names = "--last", defaultValue = "1", description = "Steer the last K prompt tokens (default: ${DEFAULT-VALUE}).")
        int last;
        @Option(names = "--limit", description = "Use at most this many test items.")
        Integer limit;
        @Option(names = "--plot", description = "Write a PNG: behaviour score against multiplier, one line per method and layer.")
        Path plot;

        @Override
        public Integer call() throws Exception {
            OptionChecks.positive("--last", last);
            OptionChecks.positive("--limit", limit);
            List<Double> mults = OptionChecks.finiteList("--multipliers", multipliers);
            ModelOptions o = mo.options("plain");
            if (!dataset.startsWith("caa:")) throw new UserError("sweep needs an A/B data set: caa:<behaviour> or caa:FILE.json");
            SteeringVector v = VectorFile.load(vectors);
            List<Method> ms = new ArrayList<>();
            for (String s : methods) ms.add(method(s));
            for (Method me : ms)
                if ((me == Method.STATE) != v.isState())
                    throw new UserError(vectors + ": method " + me.label() + " needs " + (me == Method.STATE ? "a state vector (vectors --state)" : "an activation vector, this is a state vector"));
            List<Integer> ls = layers == null ? v.layers() : ints(layers);
            for (int l : ls) if (!v.layers().contains(l)) throw new UserError(vectors + ": no layer " + l + " (has " + v.layers() + ")");
            try (Loaded m = load(o)) {
                List<SteeringData.AbItem> items = limit(SteeringData.readCaa(caaPath(dataset.substring(4), o.data, true)), limit);
                List<Contrasts.AbTask> tasks = Contrasts.abTasks(items, template(o.template), m.codec());
                BehaviourSweep.Result r;
                try {
                    r = withProgress("sweep", tasks.size(), p -> BehaviourSweep.run(m.model(), tasks, v, ms, ls, mults, last, p));
                } catch (IllegalArgumentException e) {
                    throw new UserError(e.getMessage());
                }
                if (plot != null) writeAtomically(plot, tmp -> plot(r, tmp, dataset, "behaviour score p(match)/(p(A)+p(B))"));
                if (o.json) {
                    Map<String, Object> res = new LinkedHashMap<>();
                    res.put("dataset", dataset);
                    res.put("vectors", vectors.toString());
                    res.put("items", tasks.size());
                    res.put("unsteered", r.unsteered());
                    res.put("points", r.points());
                    System.out.println(JSON.writeValueAsString(res));
                } else {
                    System.out.printf("%s, %d items; unsteered behaviour %.4f nonsense %.4f%n", dataset, tasks.size(),
                            r.unsteered().behaviour(), r.unsteered().nonsense());
                    System.out.printf("%-7s %5s %8s %10s %9s%n", "method", "layer", "mult", "behaviour", "nonsense");
                    for (BehaviourSweep.Point p : r.points())
                        System.out.printf("%-7s %5d %8.3f %10.4f %9.4f%n", p.method(), p.layer(), p.multiplier(), p.behaviour(), p.nonsense());
                }
                if (plot != null && !o.json) System.out.println("wrote " + plot);
                return 0;
            }
        }

        static void plot(BehaviourSweep.Result r, Path png, String title, String yAxis) {
            XYChart c = new XYChartBuilder().width(900).height(600).title("Steering: " + title)
                    .xAxisTitle("multiplier").yAxisTitle(yAxis).build();
            Map<String, List<BehaviourSweep.Point>> series = new LinkedHashMap<>();
            for (BehaviourSweep.Point p : r.points()) series.computeIfAbsent(p.method() + " L" + p.layer(), k -> new ArrayList<>()).add(p);
            for (var e : series.entrySet()) {
                double[] x = e.getValue().stream().mapToDouble(BehaviourSweep.Point::multiplier).toArray();
                double[] y = e.getValue().stream().mapToDouble(BehaviourSweep.Point::behaviour).toArray();
                c.addSeries(e.getKey(), x, y);
            }
            double lo = r.points().stream().mapToDouble(BehaviourSweep.Point::multiplier).min().orElse(0);
            double hi = r.points().stream().mapToDouble(BehaviourSweep.Point::multiplier).max().orElse(1);
            c.addSeries("unsteered", new double[]{lo, hi}, new double[]{r.unsteered().behaviour(), r.unsteered().behaviour()});
            try {
                BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
                Path written = Path.of(png + ".png");  // XChart appends the extension
                if (Files.exists(written)) Files.move(written, png, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Command(name = "logodds", mixinStandardHelpOptions = true,
            description = "Free-text behaviour score: mean over prompts of log p(positive) - log p(negative continuation), "
                    + "swept over methods, layers and multipliers, with the next-token total-variation distance.")
    static final class LogOdds implements Callable<Integer> {
        @picocli.CommandLine.Mixin ModelOptionsMixin mo;
        @Option(names = "--vectors", required = true, description = "Steering vectors (.safetensors).")
        Path vectors;
        @Option(names = "--prompts", required = true, description = "Text file, one prompt per line (\\n escapes allowed).")
        Path prompts;
        @Option(names = "--positive", required = true, description = "Continuation counted for the behaviour, e.g. ' happy'.")
        String positive;
        @Option(names = "--negative", required = true, description = "Continuation counted against it, e.g. ' sad'.")
        String negative;
        @Option(names = "--method", defaultValue = "add", split = ",", description = "add, ablate, affine, ace, state (default: ${DEFAULT-VALUE}).")
        List<String> methods;
        @Option(names = "--layers", description = "Layers (default: all).")
        String layers;
        @Option(names = "--multipliers", defaultValue = "-2,-1,0,1,2", description = "Multipliers (default: ${DEFAULT-VALUE}).")
        String multipliers;
        @Option(names = "--positions", description = "Positions steered: " + Positions.HELP + " (default: all; last:1 for state).")
        String positions;
        @Option(names = "--apply-at", description = "Hook template to edit, or one state part (blocks.{i}.state.wkv); default: where the vectors were read.")
        String applyAt;
        @Option(names = "--plot", description = "Write a PNG: log-odds against multiplier, one line per method and layer.")
        Path plot;

        @Override
        public Integer call() throws Exception {
            List<Double> mults = OptionChecks.finiteList("--multipliers", multipliers);
            if (positions != null) OptionChecks.positions("--positions", positions);
            ModelOptions o = mo.options("none");
            SteeringVector v = VectorFile.load(vectors);
            List<Method> ms = new ArrayList<>();
            for (String s : methods) ms.add(method(s));
            for (Method me : ms)
                if ((me == Method.STATE) != v.isState())
                    throw new UserError(vectors + ": method " + me.label() + " needs " + (me == Method.STATE ? "a state vector (vectors --state)" : "an activation vector, this is a state vector"));
            List<Integer> ls = layers == null ? v.layers() : ints(layers);
            for (int l : ls) if (!v.layers().contains(l)) throw new UserError(vectors + ": no layer " + l + " (has " + v.layers() + ")");
            Positions pos = OptionChecks.positions("--positions", positions != null ? positions : v.isState() ? "last:1" : "all");
            List<String> ps = new ArrayList<>();
            for (String line : vireo.io.InputFile.readLines(prompts)) if (!line.isBlank()) ps.add(line.replace("\\n", "\n"));
            if (ps.isEmpty()) throw new UserError(prompts + ": no prompts");
            PromptTemplate t = template(o.template);
            List<String> templated = ps.stream().map(t::apply).toList();
            try (Loaded m = load(o)) {
                LogOddsSweep.Result r;
                try {
                    r = withProgress("logodds", templated.size(), p -> LogOddsSweep.run(m.model(), m.codec(), templated, positive, negative, v, ms, ls, mults, pos, applyAt, p));
                } catch (IllegalArgumentException e) {
                    throw new UserError(e.getMessage());
                }
                if (plot != null) {
                    List<BehaviourSweep.Point> asPoints = r.points().stream().map(p -> new BehaviourSweep.Point(p.method(), p.layer(), p.multiplier(), p.logOdds(), p.nextTokenTv(), 0, p.prompts())).toList();
                    BehaviourSweep.Point base = new BehaviourSweep.Point("none", -1, 0, r.unsteeredLogOdds(), 0, 0, templated.size());
                    writeAtomically(plot, tmp -> Sweep.plot(new BehaviourSweep.Result(base, asPoints), tmp,
                            "log p('" + positive.strip() + "') - log p('" + negative.strip() + "')", "log-odds"));
                }
                if (o.json) {
                    Map<String, Object> res = new LinkedHashMap<>();
                    res.put("prompts", templated.size());
                    res.put("positive", positive);
                    res.put("negative", negative);
                    res.put("positions", pos.toString());
                    res.put("unsteered_log_odds", r.unsteeredLogOdds());
                    res.put("points", r.points());
                    System.out.println(JSON.writeValueAsString(res));
                } else {
                    System.out.printf("%d prompts; log p(%s) - log p(%s) unsteered %.4f; positions %s%n", templated.size(),
                            JSON.writeValueAsString(positive), JSON.writeValueAsString(negative), r.unsteeredLogOdds(), pos);
                    System.out.printf("%-7s %5s %8s %9s %8s%n", "method", "layer", "mult", "log-odds", "next-TV");
                    for (LogOddsSweep.Point p : r.points())
                        System.out.printf("%-7s %5d %8.3f %9.4f %8.4f%n", p.method(), p.layer(), p.multiplier(), p.logOdds(), p.nextTokenTv());
                    if (plot != null) System.out.println("wrote " + plot);
                }
                return 0;
            }
        }
    }

    @Command(name = "refusal", mixinStandardHelpOptions = true,
            description = "Sample replies with steering at each multiplier; refusal rate (phrase list, optional yes/no judge model) "
                    + "and perplexity of the replies under the unsteered model.")
    static final class RefusalRate implements Callable<Integer> {
        @picocli.CommandLine.Mixin ModelOptionsMixin mo;
        @Option(names = "--vectors", required = true, description = "Steering vectors (.safetensors).")
        Path vectors;
        @Option(names = "--method", defaultValue = "add", description = "add, ablate, affine, ace, state (default: ${DEFAULT-VALUE}).")
        String method;
        @Option(names = "--layer", required = true, split = ",", description = "Layer(s) to steer.")
        List<Integer> layers;
        @Option(names = "--multipliers", defaultValue = "-1,0,1", description = "Multipliers (default: ${DEFAULT-VALUE}).")
        String multipliers;
        @Option(names = "--positions", defaultValue = "all", description = "Positions steered: " + Positions.HELP + " (default: ${DEFAULT-VALUE}).")
        String positions;
        @Option(names = "--prompts", defaultValue = "advbench", description = "advbench (last N goals), harmful-test, harmless-val, or a text file with one prompt a line (default: ${DEFAULT-VALUE}).")
        String prompts;
        @Option(names = "--limit", defaultValue = "25", description = "Prompts used (default: ${DEFAULT-VALUE}).")
        int limit;
        @Option(names = "--seeds", defaultValue = "1", description = "Samples per prompt (default: ${DEFAULT-VALUE}).")
        int seeds;
        @Option(names = "--max-tokens", defaultValue = "50", description = "Tokens per reply (default: ${DEFAULT-VALUE}).")
        int maxTokens;
        @Option(names = "--temperature", defaultValue = "1.0", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
        double temperature;
        @Option(names = "--stop", defaultValue = "-1", description = "Stop token id (default: none).")
        int stop;
        @Option(names = "--judge", description = "A local model that judges each reply (yes/no: is the AI refusing?).")
        Path judge;
        @Option(names = "--judge-tokenizer", description = "Tokenizer of the judge model.")
        Path judgeTokenizer;

        @Override
        public Integer call() throws Exception {
            List<Double> mults = OptionChecks.finiteList("--multipliers", multipliers);
            Positions pos = OptionChecks.positions("--positions", positions);
            OptionChecks.positive("--limit", limit);
            OptionChecks.positive("--seeds", seeds);
            OptionChecks.positive("--max-tokens", maxTokens);
            OptionChecks.temperature("--temperature", temperature);
            ModelOptions o = mo.options("plain");
            SteeringVector v = VectorFile.load(vectors);
            Method me = method(method);
            try {
                new Intervention(me, v, layers, 1, pos, null, null).hooks(1);
            } catch (IllegalArgumentException e) {
                throw new UserError(vectors + ": " + e.getMessage());
            }
            List<String> qs = switch (prompts) {
                case "advbench" -> {
                    List<SteeringData.AdvBenchRow> rows = SteeringData.readAdvBench(o.data.resolve("refusal/advbench.csv"));
                    // the ACE evaluation uses the last goals (training used the first 32), with "." appended
                    yield rows.subList(Math.max(0, rows.size() - limit), rows.size()).stream().map(r -> r.goal() + ".").toList();
                }
                case "harmful-test" -> limit(SteeringData.readInstructions(o.data.resolve("refusal/harmful_test.json")), limit);
                case "harmless-val" -> limit(SteeringData.readInstructions(o.data.resolve("refusal/harmless_val.json")), limit);
                default -> limit(vireo.io.InputFile.readLines(Path.of(prompts)).stream().filter(l -> !l.isBlank()).toList(), limit);
            };
            PromptTemplate t = template(o.template);
            if (t.pattern().endsWith("(")) t = new PromptTemplate(t.name(), t.pattern().substring(0, t.pattern().length() - 1));
            PromptTemplate tt = t;
            GenerationEval.Settings st = new GenerationEval.Settings(maxTokens, temperature, seeds, stop);
            try (Loaded m = load(o); Loaded j = judge == null ? null : load(judge, judgeTokenizer)) {
                Refusal.Judge jd = j == null ? null : new Refusal.Judge(j.model(), j.codec(), Refusal.Judge.REFUSAL_PROMPT);
                List<GenerationEval.Point> pts = withProgress("refusal", mults.size(), p -> GenerationEval.run(m.model(), m.codec(), qs, tt,
                        mu -> new Intervention(me, v, layers, mu, pos, null, null), mults, st, jd, p));
                if (o.json) {
                    Map<String, Object> res = new LinkedHashMap<>();
                    res.put("prompts", prompts);
                    res.put("count", qs.size());
                    res.put("points", pts);
                    System.out.println(JSON.writeValueAsString(res));
                } else {
                    System.out.printf("%s, %d prompts x %d seeds, %s layers %s%n", prompts, qs.size(), seeds, me.label(), layers);
                    System.out.printf("%8s %9s %9s %11s  example%n", "mult", "refusal", "judge", "perplexity");
                    for (GenerationEval.Point p : pts)
                        System.out.printf("%8.3f %9.3f %9.3f %11.2f  %s%n", p.multiplier(), p.refusalRate(), p.judgeRefusalRate(),
                                p.meanPerplexity(), p.example().replace('\n', ' '));
                }
                return 0;
            }
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate from a prompt with and without steering; prints both, with perplexity under the unsteered model.")
    static final class Generate implements Callable<Integer> {
        @picocli.CommandLine.Mixin ModelOptionsMixin mo;
        @Option(names = "--vectors", required = true, description = "Steering vectors (.safetensors).")
        Path vectors;
        @Option(names = "--method", defaultValue = "add", description = "add, ablate, affine, ace, state (default: ${DEFAULT-VALUE}).")
        String method;
        @Option(names = "--layer", required = true, split = ",", description = "Layer(s) to steer.")
        List<Integer> layers;
        @Option(names = "--multiplier", defaultValue = "1", description = "m (α for ace) (default: ${DEFAULT-VALUE}).")
        double multiplier;
        @Option(names = "--positions", defaultValue = "all", description = "Positions steered: " + Positions.HELP + " (default: ${DEFAULT-VALUE}).")
        String positions;
        @Option(names = "--apply-at", description = "Hook template to edit (default: where the vectors were read).")
        String applyAt;
        @Option(names = "--prompt", required = true, description = "Prompt text (the template is applied).")
        String prompt;
        @Option(names = "--max-tokens", defaultValue = "60", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
        int maxTokens;
        @Option(names = "--temperature", defaultValue = "1.0", description = "Sampling temperature, 0 = greedy (default: ${DEFAULT-VALUE}).")
        double temperature;
        @Option(names = "--seed", defaultValue = "1", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--stop", defaultValue = "-1", description = "Stop token id (default: none).")
        int stop;

        @Override
        public Integer call() throws Exception {
            OptionChecks.finite("--multiplier", multiplier);
            Positions pos = OptionChecks.positions("--positions", positions);
            OptionChecks.positive("--max-tokens", maxTokens);
            OptionChecks.temperature("--temperature", temperature);
            ModelOptions o = mo.options("none");
            SteeringVector v = VectorFile.load(vectors);
            Method me = method(method);
            Intervention iv;
            try {
                iv = new Intervention(me, v, layers, multiplier, pos, applyAt, null);
            } catch (IllegalArgumentException e) {
                throw new UserError(vectors + ": " + e.getMessage());
            }
            try (Loaded m = load(o)) {
                if (applyAt != null) checkHook("--apply-at", applyAt, m.model(), layers);
                int[] p = m.codec().encode(template(o.template).apply(prompt));
                Hooks h;
                try {
                    h = iv.hooks(p.length);
                } catch (IllegalArgumentException e) {
                    throw new UserError(e.getMessage());
                }
                int[] plain = Sampling.generate(m.model(), p, Hooks.NONE, maxTokens, temperature, seed, stop);
                int[] steered = Sampling.generate(m.model(), p, h, maxTokens, temperature, seed, stop);
                double pplPlain = Sampling.perplexity(m.model(), p, plain, Hooks.NONE);
                double pplSteered = Sampling.perplexity(m.model(), p, steered, Hooks.NONE);
                String a = m.codec().decode(plain), b = m.codec().decode(steered);
                if (o.json) {
                    Map<String, Object> res = new LinkedHashMap<>();
                    res.put("prompt", prompt);
                    res.put("intervention", iv.label());
                    res.put("unsteered", Map.of("text", a, "perplexity", pplPlain, "refusal", Refusal.isRefusal(a)));
                    res.put("steered", Map.of("text", b, "perplexity", pplSteered, "refusal", Refusal.isRefusal(b)));
                    System.out.println(JSON.writeValueAsString(res));
                } else {
                    System.out.println("prompt:     " + prompt);
                    System.out.printf("unsteered (ppl %.2f): %s%n", pplPlain, a);
                    System.out.printf("steered   (ppl %.2f) [%s]: %s%n", pplSteered, iv.label(), b);
                }
                return 0;
            }
        }
    }

    /** Shared options as a picocli mixin. */
    static final class ModelOptionsMixin {
        @picocli.CommandLine.Mixin LmModelOptions lm; // --model, --tokenizer, as every lm command has them
        @Option(names = "--data", defaultValue = "../shared/data/steering", description = "Steering data folder (default: ${DEFAULT-VALUE}).")
        Path data;
        @Option(names = "--template", description = "Prompt template: hermes, llama2, llama3, plain, none, or a pattern with {q} (default: plain; none for generate).")
        String template;
        @Option(names = "--json", description = "Print machine-readable JSON.")
        boolean json;

        ModelOptions options(String defaultTemplate) {
            ModelOptions o = new ModelOptions();
            o.model = lm.model; o.tokenizer = lm.tokenizer; o.bos = lm.bos; o.data = data; o.json = json;
            o.template = template == null ? defaultTemplate : template;
            return o;
        }
    }
}
