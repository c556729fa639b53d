package vireo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import vireo.tpc.BcaeVs;
import vireo.tpc.Gate;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code vireo tpc}: neural compression of sPHENIX TPC wedges with BCAE-VS. */
@Command(name = "tpc", mixinStandardHelpOptions = true,
        description = "Compress, decompress, evaluate and train BCAE-VS on sPHENIX TPC wedges (uint16 ADC .npy, 192x249x16).",
        subcommands = {
                TpcCompressCommand.class,
                TpcDecompressCommand.class,
                TpcEvalCommand.class,
                TpcTrainCommand.class,
                TpcBenchCommand.class,
                TpcSimulateCommand.class,
                TpcTrainDenseCommand.class,
        })
public final class TpcCommand implements Runnable {
    @Override
    public void run() { CommandLine.usage(this, System.out); }

    static final String DEFAULT_CHECKPOINT = "models/bcae-vs/model_last.pth";

    /** --checkpoint, else ../shared/models/bcae-vs/model_last.pth (or under $VIREO_SHARED), else a one-line error. */
    static Path checkpoint(Path given) {
        if (given != null) return given;
        return SharedFolder.find(DEFAULT_CHECKPOINT).orElseThrow(() -> new UserError("no BCAE-VS checkpoint: ../shared/" + DEFAULT_CHECKPOINT + " not found; pass --checkpoint FILE"));
    }

    static BcaeVs model(Path given) { return BcaeVs.load(checkpoint(given)); }

    /** Without --threshold the authors' seeded random (Bernoulli) gate; with it, keep p > T. */
    static Gate gate(Double threshold, long seed) {
        if (threshold == null) return new Gate.Random(seed);
        if (!(threshold > 0 && threshold < 1)) throw new UserError("--threshold must be between 0 and 1, got " + threshold);
        return new Gate.Threshold(threshold);
    }

    static final com.fasterxml.jackson.databind.ObjectMapper JSON = JsonOutput.mapper()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    /** NaN (not applicable) becomes JSON null. */
    static Object num(double v) { return Double.isNaN(v) ? null : v; }
}
