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

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "A LoRA adapter folder in Hugging Face PEFT's layout (adapter_config.json + adapter_model.safetensors), "
                    + "as `vireo lm train --lora-rank` or peft writes it; merged into heap copies of the adapted matrices.")
    Path adapter;

    Models.Loaded load(boolean needTokenizer) {
        // read and check the adapter before the model so a misfit stops before any work
        vireo.lm.train.PeftAdapter peft = adapter == null ? null : vireo.lm.train.PeftAdapter.read(adapter);
        Models.Loaded m = Models.load(model, tokenizer);
        if (needTokenizer && m.tokenizer() == null) {
            m.close();
            throw new UserError(model + ": no tokenizer found beside the model; pass --tokenizer");
        }
        if (peft == null) return m;
        if (!(m.model() instanceof vireo.lm.llama.Llama llama)) {
            m.close();
            throw new UserError(adapter + ": LoRA adapters are supported for Llama models so far, not " + m.model().family());
        }
        try {
            peft.checkFits(llama);
        } catch (IllegalArgumentException e) {
            m.close();
            throw new UserError(adapter + ": " + e.getMessage());
        }
        return new Models.Loaded(peft.mergeInto(llama), m.tokenizer()); // the base mapping stays open until exit
    }
}
