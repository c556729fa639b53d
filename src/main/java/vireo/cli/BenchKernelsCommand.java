package vireo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vireo.tensor.bench.KernelBenchmarks;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code vireo bench kernels}: the JMH sgemm and matvec benchmarks, as GFLOP/s and speed-up over naive loops. */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "JMH benchmarks of the tensor kernels (sgemm 1024^3 NT/NN/TN at 1 and 2 threads, matvec 4096x4096 f32 and "
                + "bf16) against naive loops run in the same session; prints GFLOP/s and the ratio.")
public final class BenchKernelsCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "Shorter warm-up and measurement (about 70 s instead of about 2.5 min).")
    boolean quick;

    @Option(names = "--json", description = "Print results as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<KernelBenchmarks.Result> results = KernelBenchmarks.run(quick, msg -> System.err.println("vireo: " + msg));
        if (json) {
            System.out.println(JsonOutput.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(results));
            return 0;
        }
        System.out.printf("%-28s %12s %10s  %-26s %10s %9s%n", "kernel", "ms/op", "GFLOP/s", "baseline", "GFLOP/s", "speed-up");
        for (KernelBenchmarks.Result r : results)
            System.out.printf("%-28s %12.3f %10.2f  %-26s %10.2f %8.1fx%n", r.kernel(), r.msPerOp(), r.gflops(),
                    r.baseline(), r.baselineGflops(), r.speedup());
        return 0;
    }
}
