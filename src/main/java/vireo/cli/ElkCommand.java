package vireo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vireo.elk.AnomalyExperiment;
import vireo.elk.Auroc;
import vireo.elk.ElkHiddens;
import vireo.elk.FittedProbe;
import vireo.elk.HiddenStateExtractor;
import vireo.elk.LayerFeatures;
import vireo.elk.ProbeMethod;
import vireo.elk.QuirkyDatasetFile;
import vireo.elk.QuirkyDatasetGenerator;
import vireo.elk.QuirkyRecord;
import vireo.elk.QuirkySubset;
import vireo.elk.QuirkyTask;
import vireo.elk.TransferExperiment;
import vireo.io.InvalidFileException;
import vireo.io.Npy;
import vireo.lm.Models;
import vireo.tensor.TensorView;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo elk}: eliciting latent knowledge from quirky models (Mallen et al.). */
@Command(name = "elk", mixinStandardHelpOptions = true,
        description = "Quirky datasets, hidden states, probes, transfer AUROC and anomaly detection (Mallen et al.).",
        subcommands = {ElkCommand.Dataset.class, ElkCommand.Finetune.class, ElkCommand.Extract.class, ElkCommand.ProbeCmd.class,
                ElkCommand.Transfer.class, ElkCommand.Anomaly.class, ElkCommand.Plot.class})
public final class ElkCommand implements Runnable {
    static final ObjectMapper JSON = JsonOutput.mapper();

    @Override
    public void run() { throw new UserError("elk needs a subcommand: dataset, finetune, extract, probe, transfer, anomaly, plot"); }

    static List<QuirkyRecord> readRecords(Path file, String task) {
        try {
            List<QuirkyRecord> rs = QuirkyDatasetFile.read(file, QuirkyTask.of(task));
            if (rs.isEmpty()) throw new UserError(file + ": no records");
            return rs;
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException e) {
            throw new UserError(file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    static ElkHiddens readHiddens(Path dir) {
        try {
            return ElkHiddens.load(dir);
        } catch (InvalidFileException | IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        } catch (RuntimeException e) {
            if (e.getCause() instanceof NoSuchFileException) throw new UserError(dir + ": not an elk extract folder (last.npy, lm_log_odds.npy)");
            throw e;
        }
    }

    static List<ProbeMethod> methods(List<String> names) {
        List<ProbeMethod> out = new ArrayList<>();
        for (String n : names) {
            try { out.add(ProbeMethod.of(n)); } catch (IllegalArgumentException e) { throw new UserError("--method: " + e.getMessage()); }
        }
        return out;
    }

    static byte[] png(XYChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    @Command(name = "dataset", mixinStandardHelpOptions = true,
            description = "Generate a quirky arithmetic dataset (JSONL, elk-generalization's columns), deterministic from --seed.")
    static final class Dataset implements Callable<Integer> {
        @Option(names = "--task", defaultValue = "addition", description = "addition, subtraction, multiplication, modularaddition, squaring (default ${DEFAULT-VALUE}).")
        String task;
        @Option(names = "--max-digits", description = "Operand size: operands are floor(10^(U*digits)) (default: the paper's, 4; 3 for multiplication; 5 for squaring).")
        Integer maxDigits;
        @Option(names = "--base-examples", defaultValue = "2000", description = "Base equations; each gives an Alice and a Bob record (default ${DEFAULT-VALUE}).")
        int base;
        @Option(names = "--seed", defaultValue = "0") long seed;
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.jsonl") Path output;
        @Option(names = "--json", description = "Print a JSON summary.") boolean json;

        @Override
        public Integer call() throws Exception {
            QuirkyTask t;
            List<QuirkyRecord> rs;
            try {
                t = QuirkyTask.of(task);
                rs = new QuirkyDatasetGenerator(t, maxDigits == null ? t.defaultMaxDigits : maxDigits, base, seed).generate();
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            vireo.io.OutputFile.write(output, QuirkyDatasetFile.toJsonl(rs).getBytes(StandardCharsets.UTF_8));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("output", output.toString());
            m.put("task", t.id);
            m.put("records", rs.size());
            for (QuirkySubset s : QuirkySubset.values()) m.put(s.abbrev, TransferExperiment.rows(rs, s).length);
            if (json) System.out.println(JSON.writeValueAsString(m));
            else System.out.printf("wrote %s: %d records (%s)%n", output, rs.size(), m);
            return 0;
        }
    }

    @Command(name = "extract", mixinStandardHelpOptions = true,
            description = "Hidden states of every block (resid_post) at the last prompt token, contrast pairs, and the model's log-odds.")
    static final class Extract implements Callable<Integer> {
        @Mixin LmModelOptions modelOptions;
        @Option(names = "--dataset", required = true, paramLabel = "FILE", description = "Quirky records (.jsonl or .csv).") Path dataset;
        @Option(names = "--task", defaultValue = "addition", description = "Task whose template renders statements missing from the file.") String task;
        @Option(names = "--limit", description = "Use only the first N records.") Integer limit;
        @Option(names = "--no-pairs", description = "Skip the contrast pairs (ccs, crc, -on-pair probes need them).") boolean noPairs;
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR") Path output;
        @Option(names = "--json") boolean json;

        @Override
        public Integer call() throws Exception {
            List<QuirkyRecord> rs = readRecords(dataset, task);
            if (limit != null) {
                if (limit < 1) throw new UserError("--limit must be positive");
                rs = rs.subList(0, Math.min(limit, rs.size()));
            }
            ElkHiddens h;
            try (Models.Loaded m = modelOptions.load(true)) {
                HiddenStateExtractor ex = new HiddenStateExtractor(m.model(), m.tokenizer());
                long t0 = System.nanoTime();
                h = ex.extract(rs, !noPairs, null);
                if (!json) System.out.printf("extracted %d records x %d layers in %.1f s%n", rs.size(), h.numLayers(), (System.nanoTime() - t0) / 1e9);
            }
            Path tmp = output.resolveSibling(output.getFileName() + ".partial");
            Files.createDirectories(tmp);
            h.save(tmp);
            Files.writeString(tmp.resolve("records.jsonl"), QuirkyDatasetFile.toJsonl(rs));
            if (Files.exists(output)) {
                try (var s = Files.list(output)) { for (Path p : s.toList()) Files.delete(p); }
                Files.delete(output);
            }
            Files.move(tmp, output, StandardCopyOption.ATOMIC_MOVE);
            Map<String, Object> m = summary(rs, h);
            m.put("output", output.toString());
            if (json) System.out.println(JSON.writeValueAsString(m));
            else System.out.println(m);
            return 0;
        }
    }

    /** The model's own accuracy and AUROC on Alice and Bob records against both label sets. */
    static Map<String, Object> summary(List<QuirkyRecord> rs, ElkHiddens h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("records", rs.size());
        m.put("layers", h.numLayers());
        for (QuirkySubset s : List.of(QuirkySubset.A, QuirkySubset.B, QuirkySubset.AH, QuirkySubset.BH)) {
            int[] rows = TransferExperiment.rows(rs, s);
            double[] lo = new double[rows.length];
            for (int i = 0; i < rows.length; i++) lo[i] = h.lmLogOdds()[rows[i]];
            Map<String, Object> per = new LinkedHashMap<>();
            for (String col : List.of("alice_label", "bob_label")) {
                int[] y = TransferExperiment.labels(rs, rows, col);
                per.put(col, Map.of("auroc", Auroc.of(y, lo), "accuracy", Auroc.accuracy(y, lo)));
            }
            m.put("lm_" + s.abbrev, per);
        }
        return m;
    }

    @Command(name = "probe", mixinStandardHelpOptions = true,
            description = "Fit one probe on plain arrays and report test AUROC and accuracy: features [n, d] (or [n, 2, d] "
                    + "contrast pairs for ccs, crc, -on-pair) float32 .npy, labels [n] 0/1.")
    static final class ProbeCmd implements Callable<Integer> {
        @Option(names = "--method", defaultValue = "lr", description = "lr, mean-diff, lda, ccs, crc, lr-on-pair, mean-diff-on-pair (default ${DEFAULT-VALUE}).") String method;
        @Option(names = "--train", required = true) Path train;
        @Option(names = "--train-labels", required = true) Path trainLabels;
        @Option(names = "--test", required = true) Path test;
        @Option(names = "--test-labels", required = true) Path testLabels;
        @Option(names = "--seed", defaultValue = "0") long seed;
        @Option(names = "--json") boolean json;

        @Override
        public Integer call() throws Exception {
            ProbeMethod m = methods(List.of(method)).getFirst();
            LayerFeatures tr = features(train, m), te = features(test, m);
            int[] ytr = labels(trainLabels, tr.size()), yte = labels(testLabels, te.size());
            int dTr = dim(tr), dTe = dim(te);
            if (dTr != dTe) throw new UserError(test + ": feature size " + dTe + " differs from the training set's " + dTr);
            FittedProbe p;
            try {
                p = m.fit(tr, ytr, seed);
            } catch (IllegalArgumentException e) {
                throw new UserError(trainLabels + ": " + e.getMessage());
            }
            double[] s = p.score(te);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("method", m.id);
            double auc = Auroc.of(yte, s);
            out.put("auroc", Double.isNaN(auc) ? null : auc);
            out.put("accuracy", Auroc.accuracy(yte, s));
            if (json) System.out.println(JSON.writeValueAsString(out));
            else System.out.printf("%s: AUROC %s, accuracy %.4f%n", m.id, Double.isNaN(auc) ? "n/a (one class)" : String.format("%.4f", auc), Auroc.accuracy(yte, s));
            return 0;
        }

        private static int dim(LayerFeatures f) { return f.last() != null ? f.last()[0].length : f.pairs()[0][0].length; }

        private static LayerFeatures features(Path p, ProbeMethod m) {
            TensorView t = readNpy(p);
            float[] a = t.toFloatArray();
            int[] sh = t.shape();
            if (m.needsPairs()) {
                if (sh.length != 3 || sh[1] != 2) throw new UserError(p + ": " + m.id + " needs contrast pairs [n, 2, d], got " + java.util.Arrays.toString(sh));
                double[][][] pr = new double[sh[0]][2][sh[2]];
                for (int i = 0; i < sh[0]; i++) for (int c = 0; c < 2; c++) for (int j = 0; j < sh[2]; j++) pr[i][c][j] = a[(i * 2 + c) * sh[2] + j];
                finite(p, a);
                return new LayerFeatures(null, pr);
            }
            if (sh.length != 2 || sh[0] < 1 || sh[1] < 1) throw new UserError(p + ": features must be [n, d], got " + java.util.Arrays.toString(sh));
            finite(p, a);
            double[][] x = new double[sh[0]][sh[1]];
            for (int i = 0; i < sh[0]; i++) for (int j = 0; j < sh[1]; j++) x[i][j] = a[i * sh[1] + j];
            return new LayerFeatures(x, null);
        }

        private static void finite(Path p, float[] a) {
            for (float v : a) if (!Float.isFinite(v)) throw new UserError(p + ": features contain NaN or infinity");
        }

        private static int[] labels(Path p, int n) {
            TensorView t = readNpy(p);
            if (t.rank() != 1 || t.shape()[0] != n) throw new UserError(p + ": labels must be [" + n + "], got " + java.util.Arrays.toString(t.shape()));
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                double v = t.dtype().name().startsWith("F") || t.dtype().name().startsWith("BF") ? t.getFloat(i) : t.getLong(i);
                if (v != 0 && v != 1) throw new UserError(p + ": labels must be 0 or 1, got " + v + " at " + i);
                y[i] = (int) v;
            }
            return y;
        }

        private static TensorView readNpy(Path p) {
            try {
                return Npy.read(p);
            } catch (InvalidFileException e) {
                throw new UserError(e.getMessage());
            } catch (RuntimeException e) {
                throw new UserError(p + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
    }

    @Command(name = "transfer", mixinStandardHelpOptions = true,
            description = "elk-generalization's transfer table: probes per layer trained on A / B / AE / all, tested on "
                    + "A, B, AH, BH, BE ... against label, alice_label and bob_label.")
    static final class Transfer implements Callable<Integer> {
        @Option(names = "--hiddens", required = true, paramLabel = "DIR", description = "Training extract (from elk extract).") Path hiddens;
        @Option(names = "--test-hiddens", paramLabel = "DIR", description = "Test extract; without it the records are split in two halves by base equation.") Path testHiddens;
        @Option(names = "--method", split = ",", defaultValue = "lr,mean-diff,lda", description = "Probe methods (default ${DEFAULT-VALUE}).") List<String> method;
        @Option(names = "--seed", defaultValue = "0") long seed;
        @Option(names = {"-o", "--output"}, paramLabel = "OUT.json", description = "Write all rows as JSON.") Path output;
        @Option(names = "--plot", paramLabel = "PNG", description = "AUROC vs layer fraction per probe (AE->BH against alice_label).") Path plot;
        @Option(names = "--json") boolean json;

        @Override
        public Integer call() throws Exception {
            List<ProbeMethod> ms = methods(method);
            List<QuirkyRecord> trR = readRecords(hiddens.resolve("records.jsonl"), "addition");
            ElkHiddens trH = readHiddens(hiddens);
            List<QuirkyRecord> teR;
            ElkHiddens teH;
            if (testHiddens != null) {
                teR = readRecords(testHiddens.resolve("records.jsonl"), "addition");
                teH = readHiddens(testHiddens);
            } else {
                Split s = Split.halves(trR, trH);
                trR = s.trainRecords; trH = s.train; teR = s.testRecords; teH = s.test;
            }
            Map<String, Object> out = transfer(ms, trR, trH, teR, teH, seed);
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out);
            if (output != null) vireo.io.OutputFile.write(output, bytes);
            @SuppressWarnings("unchecked") List<TransferExperiment.Row> rows = (List<TransferExperiment.Row>) out.get("rows");
            if (plot != null) vireo.io.OutputFile.write(plot, png(layerChart(rows, "AE", "BH", "alice_label")));
            if (json) {
                Map<String, Object> brief = new LinkedHashMap<>(out);
                brief.remove("rows");
                System.out.println(JSON.writeValueAsString(brief));
            } else {
                System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out.get("best")));
                System.out.println("lm: " + out.get("lm"));
                System.out.println("gap recovered on BH by the best AE probe: " + out.get("gap_recovered"));
            }
            return 0;
        }
    }

    /** A deterministic split of an extract into two halves, keeping each base equation's Alice and Bob together. */
    record Split(List<QuirkyRecord> trainRecords, ElkHiddens train, List<QuirkyRecord> testRecords, ElkHiddens test) {
        static Split halves(List<QuirkyRecord> rs, ElkHiddens h) {
            List<Integer> a = new ArrayList<>(), b = new ArrayList<>();
            for (int i = 0; i < rs.size(); i++) ((i / 2) % 2 == 0 ? a : b).add(i);
            return new Split(pick(rs, a), pick(h, a), pick(rs, b), pick(h, b));
        }

        static List<QuirkyRecord> pick(List<QuirkyRecord> rs, List<Integer> rows) { return rows.stream().map(rs::get).toList(); }

        static ElkHiddens pick(ElkHiddens h, List<Integer> rows) {
            int[] r = rows.stream().mapToInt(Integer::intValue).toArray();
            double[] lo = new double[r.length];
            for (int i = 0; i < r.length; i++) lo[i] = h.lmLogOdds()[r[i]];
            return new ElkHiddens(h.layers().stream().map(f -> f.select(r)).toList(), lo);
        }
    }

    static Map<String, Object> transfer(List<ProbeMethod> ms, List<QuirkyRecord> trR, ElkHiddens trH,
                                        List<QuirkyRecord> teR, ElkHiddens teH, long seed) {
        List<TransferExperiment.Row> rows = new ArrayList<>();
        boolean pairs = trH.layers().getFirst().pairs() != null && teH.layers().getFirst().pairs() != null;
        for (ProbeMethod m : ms) {
            if (m.needsPairs() && !pairs) throw new UserError("--method " + m.id + " needs contrast pairs: extract without --no-pairs");
            rows.addAll(TransferExperiment.run(m, trR, trH, teR, teH, TransferExperiment.PAPER, seed));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> lm = new LinkedHashMap<>();
        for (QuirkySubset s : List.of(QuirkySubset.AH, QuirkySubset.BH))
            for (String col : List.of("alice_label", "bob_label"))
                lm.put(s.abbrev + "/" + col, TransferExperiment.lmAuroc(teR, teH, s, col));
        out.put("lm", lm);
        Map<String, Object> best = new LinkedHashMap<>();
        for (ProbeMethod m : ms) {
            Map<String, Object> per = new LinkedHashMap<>();
            for (String[] k : new String[][]{{"AE", "BH", "alice_label"}, {"AE", "BH", "bob_label"}, {"AE", "AH", "alice_label"}, {"A", "B", "alice_label"}, {"B", "A", "bob_label"}}) {
                rows.stream().filter(r -> r.method().equals(m.id) && r.train().equals(k[0]) && r.test().equals(k[1]) && r.against().equals(k[2]) && !Double.isNaN(r.auroc()))
                        .max(java.util.Comparator.comparingDouble(TransferExperiment.Row::auroc))
                        .ifPresent(r -> per.put(k[0] + "->" + k[1] + "/" + k[2], Map.of("auroc", r.auroc(), "layer", r.layer())));
            }
            best.put(m.id, per);
        }
        out.put("best", best);
        Double lmAH = (Double) lm.get("AH/alice_label"), lmBH = (Double) lm.get("BH/alice_label");
        double g = TransferExperiment.gapRecovered(rows, lmAH, lmBH);
        out.put("gap_recovered", Double.isFinite(g) ? g : null);
        out.put("rows", rows);
        return out;
    }

    static XYChart layerChart(List<TransferExperiment.Row> rows, String train, String test, String against) {
        XYChart c = new XYChartBuilder().width(800).height(500).title(train + " -> " + test + " (AUROC vs " + against + ")")
                .xAxisTitle("layer / num_layers").yAxisTitle("AUROC").build();
        Map<String, List<TransferExperiment.Row>> byMethod = new LinkedHashMap<>();
        for (TransferExperiment.Row r : rows)
            if (r.train().equals(train) && r.test().equals(test) && r.against().equals(against) && !Double.isNaN(r.auroc()))
                byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
        if (byMethod.isEmpty()) throw new UserError("nothing to plot: no " + train + "->" + test + " rows");
        byMethod.forEach((m, rs) -> c.addSeries(m, rs.stream().mapToDouble(TransferExperiment.Row::layerFrac).toArray(),
                rs.stream().mapToDouble(TransferExperiment.Row::auroc).toArray()));
        return c;
    }

    @Command(name = "anomaly", mixinStandardHelpOptions = true,
            description = "Mechanistic anomaly detection: Mahalanobis distance to Alice-easy, AUROC of flagging Bob among hard records.")
    static final class Anomaly implements Callable<Integer> {
        @Option(names = "--hiddens", required = true, paramLabel = "DIR") Path hiddens;
        @Option(names = "--method", defaultValue = "lr", description = "Probe whose per-layer log-odds feed the paper's detector (default ${DEFAULT-VALUE}).") String method;
        @Option(names = "--seed", defaultValue = "0") long seed;
        @Option(names = "--plot", paramLabel = "PNG", description = "Anomaly AUROC per layer.") Path plot;
        @Option(names = "--json") boolean json;

        @Override
        public Integer call() throws Exception {
            List<QuirkyRecord> rs = readRecords(hiddens.resolve("records.jsonl"), "addition");
            ElkHiddens h = readHiddens(hiddens);
            AnomalyExperiment.Result r;
            try {
                r = AnomalyExperiment.run(rs, h, methods(List.of(method)).getFirst(), seed);
            } catch (IllegalArgumentException e) {
                throw new UserError(hiddens + ": " + e.getMessage());
            }
            if (plot != null) {
                XYChart c = new XYChartBuilder().width(800).height(500).title("Anomaly AUROC (flag Bob-hard; Mahalanobis to Alice-easy)")
                        .xAxisTitle("layer / num_layers").yAxisTitle("AUROC").build();
                double[] x = new double[r.perLayerAuroc().length];
                for (int i = 0; i < x.length; i++) x[i] = (i + 1.0) / x.length;
                c.addSeries("activations", x, r.perLayerAuroc());
                vireo.io.OutputFile.write(plot, png(c));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("per_layer_auroc", r.perLayerAuroc());
            m.put("probe_log_odds_auroc", r.probeLogOddsAuroc());
            m.put("probe", method);
            System.out.println(json ? JSON.writeValueAsString(m) : m.toString());
            return 0;
        }
    }

    @Command(name = "plot", mixinStandardHelpOptions = true, description = "Plot AUROC vs layer fraction per probe from a transfer result.")
    static final class Plot implements Callable<Integer> {
        @Option(names = "--results", required = true, paramLabel = "FILE.json", description = "Output of elk transfer -o.") Path results;
        @Option(names = "--train", defaultValue = "AE") String train;
        @Option(names = "--test", defaultValue = "BH") String test;
        @Option(names = "--against", defaultValue = "alice_label") String against;
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "PNG") Path output;

        @Override
        public Integer call() throws Exception {
            JsonNode n;
            try {
                n = JSON.readTree(results.toFile());
            } catch (IOException e) {
                throw new UserError(results + ": " + e.getMessage());
            }
            if (!n.path("rows").isArray()) throw new UserError(results + ": no rows (not an elk transfer output)");
            List<TransferExperiment.Row> rows = new ArrayList<>();
            for (JsonNode r : n.get("rows"))
                rows.add(new TransferExperiment.Row(r.path("method").asText(), r.path("train").asText(), r.path("test").asText(),
                        r.path("against").asText(), r.path("layer").asInt(), r.path("layerFrac").asDouble(),
                        r.path("auroc").isNumber() ? r.get("auroc").asDouble() : Double.NaN, r.path("accuracy").asDouble(), r.path("n").asInt()));
            vireo.io.OutputFile.write(output, png(layerChart(rows, train, test, against)));
            System.out.println("plot: " + output);
            return 0;
        }
    }

    @Command(name = "finetune", mixinStandardHelpOptions = true,
            description = "Make a Llama model quirky with LoRA (loss on the answer token: the character's own label), "
                    + "write the PEFT adapter, and report the tuned model's accuracy/AUROC on Alice and Bob against both label sets.")
    static final class Finetune implements Callable<Integer> {
        @Mixin LmModelOptions modelOptions;
        @Option(names = "--dataset", required = true, paramLabel = "FILE") Path dataset;
        @Option(names = "--eval-dataset", paramLabel = "FILE", description = "Held-out records to report on (default: the training records).") Path evalDataset;
        @Option(names = "--task", defaultValue = "addition") String task;
        @Option(names = "--rank", defaultValue = "8") int rank;
        @Option(names = "--alpha", defaultValue = "16") double alpha;
        @Option(names = "--steps", defaultValue = "300") int steps;
        @Option(names = "--batch", defaultValue = "16") int batch;
        @Option(names = "--lr", defaultValue = "3e-3") double lr;
        @Option(names = "--seed", defaultValue = "0") long seed;
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "ADAPTER_DIR") Path output;
        @Option(names = "--json") boolean json;

        @Override
        public Integer call() throws Exception {
            List<QuirkyRecord> rs = readRecords(dataset, task);
            List<QuirkyRecord> ev = evalDataset == null ? rs : readRecords(evalDataset, task);
            try (Models.Loaded m = modelOptions.load(true)) {
                if (!(m.model() instanceof vireo.lm.llama.Llama llama))
                    throw new UserError("--model: elk finetune supports Llama models so far (the trainer of issue 8), not " + m.model().family());
                List<int[]> prompts = new ArrayList<>();
                int[] answers = new int[rs.size()];
                for (int i = 0; i < rs.size(); i++) {
                    int[][] pa = answerPrompt(m.tokenizer(), rs.get(i));
                    prompts.add(pa[0]);
                    answers[i] = pa[1][rs.get(i).label()];
                }
                vireo.lm.train.FineTune.Settings st;
                vireo.lm.train.Lora lora;
                try {
                    st = new vireo.lm.train.FineTune.Settings(steps, batch, lr, Math.max(1, steps / 10), 1.0, 0.0, seed);
                    lora = new vireo.lm.train.Lora(rank, alpha, 0.0, vireo.lm.train.Lora.LLAMA_MODULES, seed);
                } catch (IllegalArgumentException e) {
                    throw new UserError(e.getMessage());
                }
                long t0 = System.nanoTime();
                vireo.lm.train.TrainableLlama t = vireo.lm.train.FineTune.answerTokenLora(llama, lora, prompts, answers, st);
                double secs = (System.nanoTime() - t0) / 1e9;
                t.train(false);
                double[] lo = new double[ev.size()];
                int vocab = m.model().vocabSize();
                for (int i = 0; i < ev.size(); i++) {
                    int[][] pa = answerPrompt(m.tokenizer(), ev.get(i));
                    float[] logits = t.forward(new int[][]{pa[0]}).data;
                    int off = (pa[0].length - 1) * vocab;
                    lo[i] = logits[off + pa[1][1]] - logits[off + pa[1][0]];
                }
                t.adapter().write(output, modelOptions.model.toString());
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("adapter", output.toString());
                out.put("train_records", rs.size());
                out.put("seconds", secs);
                for (QuirkySubset s : List.of(QuirkySubset.A, QuirkySubset.B, QuirkySubset.AH, QuirkySubset.BH)) {
                    int[] rows = TransferExperiment.rows(ev, s);
                    double[] l = new double[rows.length];
                    for (int i = 0; i < rows.length; i++) l[i] = lo[rows[i]];
                    Map<String, Object> per = new LinkedHashMap<>();
                    for (String col : List.of("alice_label", "bob_label")) {
                        int[] y = TransferExperiment.labels(ev, rows, col);
                        per.put(col, Map.of("auroc", Auroc.of(y, l), "accuracy", Auroc.accuracy(y, l)));
                    }
                    out.put(s.abbrev, per);
                }
                System.out.println(json ? JSON.writeValueAsString(out) : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
            }
            return 0;
        }

        /**
         * {prompt + the choices' shared prefix tokens, {false token, true token}}: the answer token is the first one
         * where " False" and " True" differ after the prompt (the same place elk extract reads the log-odds).
         */
        static int[][] answerPrompt(vireo.lm.tokenizer.Tokenizer tok, QuirkyRecord r) {
            int[] prompt = tok.encode(r.statement(), true);
            int[][] c = new int[2][];
            for (int k = 0; k < 2; k++) c[k] = HiddenStateExtractor.continuation(tok, prompt, r.statement(), r.choices().get(k));
            int k = 0;
            while (k < c[0].length && k < c[1].length && c[0][k] == c[1][k]) k++;
            if (k == c[0].length || k == c[1].length) throw new UserError("record " + r.id() + ": one choice is a prefix of the other");
            int[] p = java.util.Arrays.copyOf(prompt, prompt.length + k);
            System.arraycopy(c[0], 0, p, prompt.length, k);
            return new int[][]{p, {c[0][k], c[1][k]}};
        }
    }
}
