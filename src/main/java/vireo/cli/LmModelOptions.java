package vireo.cli;

import picocli.CommandLine.Option;
import vireo.lm.Models;

import java.nio.file.Path;

/** --model / --tokenizer, shared by the lm and steer commands. */
public final class LmModelOptions {
    @Option(names = "--model", required = true, paramLabel = "PATH",
            description = "Model file (llama2.c or rwkv.cpp .bin) or Hugging Face model folder (Llama, Mamba, RWKV v5).")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "PATH",
            description = "Tokenizer file; default: the one beside the model.")
    Path tokenizer;

    @Option(names = "--bos", negatable = true,
            description = "Put BOS before every prompt (--no-bos: never); default: as the tokenizer's own rule "
                    + "(tokenizer.json's post-processor; llama2.c always).")
    Boolean bos;

    /** Whether prompts start with BOS: the --bos/--no-bos override, else the tokenizer's rule. */
    boolean bos(vireo.lm.tokenizer.Tokenizer t) { return bos != null ? bos : t.addsBos(); }

    Models.Loaded load(boolean needTokenizer) {
        Models.Loaded m = Models.load(model, tokenizer);
        if (needTokenizer && m.tokenizer() == null) {
            m.close();
            throw new UserError(model + ": no tokenizer found beside the model; pass --tokenizer");
        }
        return m;
    }
}
