package vireo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vireo bench}: performance measurements printed as ratios against a baseline measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; each prints throughput and its ratio to a baseline measured in the same run.",
        subcommands = {
                BenchKernelsCommand.class,
        })
public final class BenchCommand implements Runnable {
    @Override
    public void run() { CommandLine.usage(this, System.out); }
}
