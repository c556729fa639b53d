package vireo.lm;

import vireo.io.HfConfig;
import vireo.io.InvalidFileException;
import vireo.lm.llama.HfLlama;
import vireo.lm.llama.Llama;
import vireo.lm.llama.Llama2cFile;
import vireo.lm.tokenizer.Llama2cTokenizer;
import vireo.lm.tokenizer.Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a model file or folder in any supported format, with its tokenizer. */
public final class Models {
    private Models() {}

    /** A model and the tokenizer that goes with it (tokenizer may be null when none was found or given). */
    public record Loaded(LanguageModel model, Tokenizer tokenizer) implements AutoCloseable {
        @Override public void close() { model.close(); }
    }

    /**
     * Detects the format: a llama2.c {@code .bin} (its tokenizer is {@code tokenizer}, or {@code tok*.bin} /
     * {@code tokenizer.bin} beside it), or a Hugging Face folder whose config.json names the model type.
     */
    public static Loaded load(Path model, Path tokenizer) {
        if (!Files.exists(model)) throw new InvalidFileException(model, "no such file or folder");
        if (Files.isDirectory(model)) {
            Path cfgPath = model.resolve("config.json");
            if (!Files.exists(cfgPath)) throw new InvalidFileException(model, "folder has no config.json (expected a Hugging Face model folder)");
            String type = HfConfig.read(cfgPath).getString("model_type", "");
            LanguageModel m = switch (type) {
                case "llama" -> HfLlama.load(model);
                // rnn families register here: "mamba", "rwkv5"
                default -> throw new InvalidFileException(cfgPath, "model_type '" + type + "' is not supported (llama is)");
            };
            return new Loaded(m, hfTokenizer(model, tokenizer, m));
        }
        if (Llama2cFile.looksLike(model)) {
            Llama m = Llama2cFile.load(model);
            Path tok = tokenizer != null ? tokenizer : besideLlama2c(model);
            try {
                return new Loaded(m, tok == null ? null : Llama2cTokenizer.read(tok, m.vocabSize()));
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        }
        // rnn families register here: rwkv.cpp files
        throw new InvalidFileException(model, "not a model format Vireo knows (llama2.c .bin, Hugging Face folder)");
    }

    private static Path besideLlama2c(Path model) {
        Path dir = model.toAbsolutePath().getParent();
        for (String name : new String[]{"tokenizer.bin", "tok512.bin"}) if (Files.exists(dir.resolve(name))) return dir.resolve(name);
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("tok\\d+\\.bin")).findFirst().orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static Tokenizer hfTokenizer(Path dir, Path tokenizer, LanguageModel m) {
        return null; // tokenizer.json BPE: see vireo.lm.tokenizer
    }
}
