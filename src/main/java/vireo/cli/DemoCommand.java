package vireo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vireo.lm.Generator;
import vireo.lm.Hooks;
import vireo.lm.Models;
import vireo.tpc.BcaeVs;
import vireo.tpc.CodecEvaluation;
import vireo.tpc.Gate;
import vireo.tpc.Wedge;
import vireo.tpc.WedgeFiles;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code vireo demo}: the main jobs on built-in defaults, so a new user sees Vireo work in one command — a real
 * language model writing a story (and the same story steered), and BCAE-VS compressing a real TPC wedge.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a short demonstration: stories260K writes a story, BCAE-VS compresses the sample TPC wedge "
                + "(models and data from the shared folder beside the checkout, or $VIREO_SHARED).")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--tokens", defaultValue = "120", description = "Tokens to generate (default ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--skip-tpc", description = "Only the language-model part.")
    boolean skipTpc;

    @Override
    public Integer call() {
        System.out.println("Vireo demo — " + new Main().getClass().getAnnotation(Command.class).version()[0]);
        boolean ran = languageModel();
        if (!skipTpc) ran |= compression();
        if (!ran) {
            System.out.println("No shared models or data found (looked in " + SharedFolder.roots() + ").");
            System.out.println("Set VIREO_SHARED to the folder holding models/ and data/, or see ./vireo --help.");
        }
        return 0;
    }

    private boolean languageModel() {
        Optional<Path> model = SharedFolder.find("models/llama2c/stories260K.bin");
        if (model.isEmpty()) return false;
        System.out.println();
        System.out.println("1. A real language model: stories260K (Llama architecture, 260K parameters, llama2.c format), greedy");
        try (Models.Loaded m = Models.load(model.get(), null)) {
            String prompt = "Once upon a time";
            System.out.print("   " + prompt);
            var r = Generator.generate(m.model(), m.tokenizer(), m.tokenizer().encode(prompt, true),
                    Generator.Options.greedy(tokens), Hooks.NONE, piece -> System.out.print(piece.replace("\n", "\n   ")));
            System.out.printf("%n   [%d tokens, %,.0f tokens/s]%n", r.generated().length, r.generatedTokensPerSecond());
        }
        return true;
    }

    private boolean compression() {
        Optional<Path> wedgeFile = SharedFolder.find("data/tpc/auau_sample.npy");
        Optional<Path> checkpoint = SharedFolder.find(TpcCommand.DEFAULT_CHECKPOINT);
        if (wedgeFile.isEmpty() || checkpoint.isEmpty()) return false;
        System.out.println();
        System.out.println("2. BCAE-VS compresses a real sPHENIX TPC wedge (authors' checkpoint, seeded random gate):");
        List<Wedge> wedges = WedgeFiles.read(wedgeFile.get());
        BcaeVs model = BcaeVs.load(checkpoint.get());
        Gate gate = TpcCommand.gate(null, 0);
        var rows = TpcEvalCommand.evaluate(wedges, model, gate, null, s -> { });
        System.out.print(CodecEvaluation.table(rows).indent(3));
        System.out.println("   (CR(auth) = the authors' 16/(36·occupancy·keep); CR(real) = raw 16-bit bytes / file bytes;");
        System.out.println("    zstd = lossless; sz = an SZ-style error-bounded codec at BCAE-VS's MAE)");
        return true;
    }
}
