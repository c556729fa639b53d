package vireo.tensor.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs {@link SgemmBench} and {@link MatvecBench} through the JMH {@link Runner} (one forked JVM per benchmark) and
 * turns the average times into GFLOP/s with the ratio to the naive loop measured in the same session.
 */
public final class KernelBenchmarks {
    private KernelBenchmarks() {}

    /** One kernel measurement next to its baseline. */
    public record Result(String kernel, double msPerOp, double msError, double gflops, String baseline,
                         double baselineMsPerOp, double baselineGflops, double speedup) {}

    public static List<Result> run(boolean quick, Consumer<String> progress) throws RunnerException {
        int n = 1024, mv = 4096;
        double gemmFlops = 2.0 * n * n * n, mvFlops = 2.0 * mv * mv;
        progress.accept("naive sgemm " + n + "^3 baseline (1 thread)...");
        double naiveGemm = score(run(quick, SgemmBench.class, "naive", "NT", "1"), "naive", "NT", "1")[0];
        progress.accept("sgemm " + n + "^3, layouts NT, NN, TN at 1 and 2 threads...");
        Collection<RunResult> gemm = run(quick, SgemmBench.class, "sgemm", "NT,NN,TN", "1", "2");
        progress.accept("matvec " + mv + "x" + mv + " f32 and bf16, kernel and naive (1 thread)...");
        Collection<RunResult> mvr = run(quick, MatvecBench.class, "(f32|bf16|naiveF32|naiveBF16)", null, "1");

        List<Result> out = new ArrayList<>();
        for (String l : new String[]{"NT", "NN", "TN"})
            for (String t : new String[]{"1", "2"}) {
                double[] s = score(gemm, "sgemm", l, t);
                out.add(result("sgemm " + l + " " + n + "^3 " + t + "T", s, gemmFlops, "naive i-p-j loop 1T", naiveGemm));
            }
        double[] f32 = score(mvr, "f32", null, "1"), bf16 = score(mvr, "bf16", null, "1");
        out.add(result("matvec f32 " + mv + "^2 1T", f32, mvFlops, "naive f32 loop 1T", score(mvr, "naiveF32", null, "1")[0]));
        out.add(result("matvec bf16 " + mv + "^2 1T", bf16, mvFlops, "naive bf16 loop 1T", score(mvr, "naiveBF16", null, "1")[0]));
        return out;
    }

    private static Result result(String name, double[] s, double flops, String baseline, double baseMs) {
        return new Result(name, s[0], s[1], flops / (s[0] * 1e6), baseline, baseMs, flops / (baseMs * 1e6), baseMs / s[0]);
    }

    private static Collection<RunResult> run(boolean quick, Class<?> bench, String methods, String layouts, String... threads) throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include("^" + java.util.regex.Pattern.quote(bench.getName()) + "\\." + methods + "$")
                .param("threads", threads)
                .forks(1)
                .jvmArgsAppend("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                        "--sun-misc-unsafe-memory-access=allow", "-Xmx4g")
                .verbosity(VerboseMode.SILENT)
                .shouldFailOnError(true);
        if (layouts != null) o.param("layout", layouts.split(","));
        if (quick) o.warmupIterations(2).warmupTime(TimeValue.milliseconds(500)).measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
        else o.warmupIterations(3).warmupTime(TimeValue.seconds(1)).measurementIterations(5).measurementTime(TimeValue.seconds(1));
        // JMH echoes the forked JVMs' own output (JVM warnings); keep it off stdout, which carries the table / JSON.
        return new Runner(o.build(), OutputFormatFactory.createFormatInstance(System.err, VerboseMode.SILENT)).run();
    }

    /** {mean ms/op, error} of the benchmark method at the given layout (null: none) and thread count. */
    private static double[] score(Collection<RunResult> results, String method, String layout, String threads) {
        for (RunResult r : results) {
            var p = r.getParams();
            if (p.getBenchmark().endsWith("." + method) && threads.equals(p.getParam("threads"))
                    && (layout == null || layout.equals(p.getParam("layout"))))
                { double e = r.getPrimaryResult().getScoreError(); return new double[]{r.getPrimaryResult().getScore(), Double.isNaN(e) ? 0 : e}; }
        }
        throw new IllegalStateException("JMH returned no result for " + method + " at " + threads + " threads");
    }
}
