package vireo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vireo.lm.Generator;
import vireo.lm.Hooks;
import vireo.lm.Models;

import vireo.lm.tokenizer.ChatFormat;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code vireo lm generate}: stream a continuation of a prompt. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate text from a prompt, streaming tokens as they come.")
public final class LmGenerateCommand implements Callable<Integer> {
    @Mixin LmModelOptions modelOptions;

    @Option(names = "--prompt", defaultValue = "", description = "Prompt text (default: empty, i.e. start from BOS).")
    String prompt;

    @Option(names = "--temperature", defaultValue = "0.8", description = "Sampling temperature; 0 is greedy (default ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-p", defaultValue = "0.9", description = "Nucleus sampling mass (default ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-tokens", defaultValue = "256", description = "New tokens at most (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--stats", description = "Print tokens/s on stderr at the end.")
    boolean stats;

    @Option(names = "--chat", description = "Wrap the prompt as a user turn in the model's chat layout (from its "
            + "tokenizer_config.json chat_template: Llama 3, ChatML or Llama 2 [INST]).")
    boolean chat;

    @Override
    public Integer call() {
        OptionChecks.temperature("--temperature", temperature);
        OptionChecks.probability("--top-p", topP);
        OptionChecks.positive("--max-tokens", maxTokens);
        try (Models.Loaded m = modelOptions.load(true)) {
            int[] ids;
            if (chat) {
                Path dir = java.nio.file.Files.isDirectory(modelOptions.model) ? modelOptions.model : modelOptions.model.toAbsolutePath().getParent();
                ChatFormat f = ChatFormat.forModelFolder(dir).orElseThrow(() ->
                        new UserError(dir + ": no tokenizer_config.json with a chat_template Vireo recognises (Llama 3, ChatML, Llama 2)"));
                ids = m.tokenizer().encode(f.userTurn(prompt), !f.includesBos());
            } else {
                ids = m.tokenizer().encode(prompt, prompt.isEmpty() || modelOptions.bos(m.tokenizer()));
            }
            try { // bad input is reported before any work: a prompt longer than the context, a token the model lacks
                m.model().checkBatch(java.util.List.of(new vireo.lm.LanguageModel.Sequence(m.model().newState(), ids, Hooks.NONE)));
            } catch (IllegalArgumentException e) {
                throw new UserError("--prompt: " + e.getMessage());
            }
            if (!chat) System.out.print(prompt);
            var r = Generator.generate(m.model(), m.tokenizer(), ids,
                    new Generator.Options(maxTokens, temperature, topP, seed, Set.of()), Hooks.NONE, piece -> {
                        System.out.print(piece);
                        System.out.flush();
                    });
            System.out.println();
            if (stats) System.err.printf("prompt %d tokens, %.0f tok/s; generated %d tokens, %.0f tok/s%n",
                    r.prompt().length, r.promptTokensPerSecond(), r.generated().length, r.generatedTokensPerSecond());
        }
        return 0;
    }
}
