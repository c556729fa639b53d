package vireo.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code vireo tpc train}: placeholder until the trainer is wired. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train BCAE-VS.")
public final class TpcTrainCommand implements Callable<Integer> {
    @Override
    public Integer call() { throw new UserError("tpc train is not available yet"); }
}
