package vireo.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code vireo-spark compress|decompress|eval INPUT_GLOB -o OUTPUT_DIR [--master M]}: the Spark job's command line, the
 * main class for {@code spark-submit} and for the {@code vireo-spark/vireo-spark} launcher.
 */
@Command(name = "vireo-spark", mixinStandardHelpOptions = true, subcommands = {
        SparkTpcCommand.Compress.class, SparkTpcCommand.Decompress.class, SparkTpcCommand.Eval.class},
        description = "BCAE-VS over many wedge files as an Apache Spark job.")
public final class SparkTpcCommand {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String DEFAULT_CHECKPOINT = "models/bcae-vs/model_last.pth";

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkTpcCommand()).execute(args));
    }

    abstract static class JobCommand implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "INPUT", description = "files, folders or globs; any Hadoop file system URL") List<String> inputs;
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "output folder (any Hadoop file system URL)") String output;
        @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*])") String master;
        @Option(names = "--checkpoint", paramLabel = "FILE", description = "BCAE-VS checkpoint on the driver (default ../shared/models/bcae-vs/model_last.pth)") Path checkpoint;
        @Option(names = "--threshold", paramLabel = "T", description = "keep voxels with p > T (default: the seeded random gate)") Double threshold;
        @Option(names = "--seed", defaultValue = "0", description = "seed of the random gate (default ${DEFAULT-VALUE})") long seed;
        @Option(names = "--fail-fast", description = "stop the job at the first bad input (default: report it and go on)") boolean failFast;
        @Option(names = "--json", description = "print the summary as JSON") boolean json;

        abstract SparkTpcJob.Mode mode();

        @Override
        public Integer call() throws Exception {
            if (threshold != null && !(threshold > 0 && threshold < 1)) return userError("--threshold", "must be between 0 and 1, got " + threshold);
            Path ckpt = checkpoint != null ? checkpoint : findShared(DEFAULT_CHECKPOINT);
            if (ckpt == null) return userError("--checkpoint", "no BCAE-VS checkpoint: ../shared/" + DEFAULT_CHECKPOINT + " not found; pass --checkpoint FILE");
            if (!Files.isReadable(ckpt)) return userError(ckpt.toString(), "cannot read the checkpoint");
            var conf = SparkTpcJob.conf(master != null ? master : System.getProperty("spark.master", "local[*]"));
            try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                sc.setLogLevel("WARN");
                List<String> files = new ArrayList<>();
                for (String g : inputs) files.addAll(SparkTpcJob.listInputs(sc.hadoopConfiguration(), g));
                if (files.isEmpty()) return userError(String.join(" ", inputs), "no input files match");
                String name = ckpt.getFileName().toString();
                String suffix = name.contains(".") ? name.substring(name.lastIndexOf('.')) : ".pth";
                var settings = new SparkTpcJob.Settings(mode(), output, threshold, seed, failFast, suffix);
                long t0 = System.nanoTime();
                List<SparkTpcJob.FileResult> results;
                try {
                    results = SparkTpcJob.run(sc, files, Files.readAllBytes(ckpt), settings);
                } catch (Exception e) { // Scala code throws SparkException undeclared
                    if (!(e instanceof org.apache.spark.SparkException)) throw e;
                    System.err.println("vireo-spark: stopped (--fail-fast): " + rootMessage(e));
                    return 2;
                }
                double wall = (System.nanoTime() - t0) / 1e9;
                Summary s = Summary.of(results, wall);
                if (mode() == SparkTpcJob.Mode.EVAL) EvalTable.write(sc.hadoopConfiguration(), output, results);
                if (json) System.out.println(JSON.writeValueAsString(s.toMap(mode())));
                else System.out.print(s.table(mode()));
                for (var r : results) if (r.failed()) System.err.println("vireo-spark: " + r.input() + ": " + r.message());
                return s.failures() > 0 ? 2 : 0;
            }
        }
    }

    @Command(name = "compress", mixinStandardHelpOptions = true, description = "One .bvs per input .npy, byte-identical to `vireo tpc compress FILE -o OUT`; re-runs skip valid outputs.")
    static final class Compress extends JobCommand { SparkTpcJob.Mode mode() { return SparkTpcJob.Mode.COMPRESS; } }

    @Command(name = "decompress", mixinStandardHelpOptions = true, description = "One .npy (uint16 ADC) per input .bvs; re-runs skip existing outputs.")
    static final class Decompress extends JobCommand { SparkTpcJob.Mode mode() { return SparkTpcJob.Mode.DECOMPRESS; } }

    @Command(name = "eval", mixinStandardHelpOptions = true, description = "Per-wedge BCAE-VS metrics into OUTPUT_DIR/wedges.csv and wedges.json, plus the aggregate.")
    static final class Eval extends JobCommand { SparkTpcJob.Mode mode() { return SparkTpcJob.Mode.EVAL; } }

    static int userError(String what, String problem) {
        System.err.println("vireo: " + what + ": " + problem);
        return 2;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        String m = e.getMessage();
        return m == null ? String.valueOf(t) : m.lines().findFirst().orElse(m);
    }

    /** ../shared (or $VIREO_SHARED) relative to the working folder, like the core CLI looks it up. */
    static Path findShared(String rel) {
        List<Path> roots = new ArrayList<>();
        if (System.getenv("VIREO_SHARED") != null) roots.add(Path.of(System.getenv("VIREO_SHARED")));
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) roots.add(d.resolve("shared"));
        for (Path r : roots) if (Files.isRegularFile(r.resolve(rel))) return r.resolve(rel);
        return null;
    }

    /** Totals over the job and wedges per second of each executor's busy time. */
    record Summary(int files, int ok, int skipped, int failures, long wedges, long inputBytes, long outputBytes,
                   double wallSeconds, Map<String, double[]> perExecutor) {
        static Summary of(List<SparkTpcJob.FileResult> rs, double wall) {
            int ok = 0, skipped = 0, failed = 0; long w = 0, in = 0, out = 0;
            Map<String, double[]> ex = new TreeMap<>();
            for (var r : rs) {
                switch (r.status()) { case "ok" -> ok++; case "skipped" -> skipped++; default -> failed++; }
                w += r.wedges(); in += r.inputBytes(); out += r.status().equals("ok") ? r.outputBytes() : 0;
                double[] e = ex.computeIfAbsent(r.executor(), k -> new double[2]);
                e[0] += r.wedges(); e[1] += r.seconds();
            }
            return new Summary(rs.size(), ok, skipped, failed, w, in, out, wall, ex);
        }

        double ratio(SparkTpcJob.Mode m) {
            if (outputBytes == 0 || inputBytes == 0) return Double.NaN;
            return m == SparkTpcJob.Mode.DECOMPRESS ? (double) outputBytes / inputBytes : (double) inputBytes / outputBytes;
        }

        String table(SparkTpcJob.Mode m) {
            StringBuilder b = new StringBuilder();
            b.append(String.format("%-22s %d (%d done, %d skipped as valid, %d failed)%n", "files", files, ok, skipped, failures));
            b.append(String.format("%-22s %d%n", "wedges", wedges));
            b.append(String.format("%-22s %d%n", "input bytes", inputBytes));
            b.append(String.format("%-22s %d%n", "output bytes", outputBytes));
            b.append(String.format("%-22s %.2f%n", "compression ratio", ratio(m)));
            b.append(String.format("%-22s %.2f s, %.2f wedges/s%n", "wall time", wallSeconds, wedges / wallSeconds));
            for (var e : perExecutor.entrySet())
                b.append(String.format("%-22s %.0f wedges, %.2f wedges/s of task time%n", "executor " + e.getKey(),
                        e.getValue()[0], e.getValue()[1] > 0 ? e.getValue()[0] / e.getValue()[1] : 0));
            return b.toString();
        }

        Map<String, Object> toMap(SparkTpcJob.Mode m) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("files", files); r.put("done", ok); r.put("skipped", skipped); r.put("failures", failures);
            r.put("wedges", wedges); r.put("input_bytes", inputBytes); r.put("output_bytes", outputBytes);
            double ratio = ratio(m);
            r.put("compression_ratio", Double.isNaN(ratio) ? null : ratio);
            r.put("wall_seconds", wallSeconds);
            Map<String, Object> ex = new LinkedHashMap<>();
            for (var e : perExecutor.entrySet())
                ex.put(e.getKey(), Map.of("wedges", e.getValue()[0], "task_seconds", e.getValue()[1],
                        "wedges_per_second", e.getValue()[1] > 0 ? e.getValue()[0] / e.getValue()[1] : 0));
            r.put("executors", ex);
            return r;
        }
    }
}
