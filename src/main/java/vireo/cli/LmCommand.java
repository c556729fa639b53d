package vireo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vireo lm …}: run language models and read their activations. */
@Command(name = "lm", mixinStandardHelpOptions = true,
        description = "Run language models (Llama: llama2.c .bin or Hugging Face folders; RWKV v5: rwkv.cpp .bin or HF names; Mamba: HF folders) with hooks on every layer.",
        subcommands = {LmGenerateCommand.class, LmBenchCommand.class, LmActivationsCommand.class, LmTrainCommand.class, LmHooksCommand.class})
public final class LmCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(System.out); }
}
