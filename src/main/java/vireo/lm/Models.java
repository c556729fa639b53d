package vireo.lm;

import vireo.io.HfConfig;
import vireo.io.InvalidFileException;
import vireo.lm.llama.HfLlama;
import vireo.lm.llama.Llama;
import vireo.lm.llama.Llama2cFile;
import vireo.lm.tokenizer.HfBpeTokenizer;
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
                case "mamba" -> vireo.lm.mamba.HfMamba.load(model);
                case "rwkv5" -> vireo.lm.rwkv.Rwkv5.of(vireo.io.SafeTensors.readSharded(model), vireo.lm.rwkv.Rwkv5.Naming.HF,
                        (float) HfConfig.read(cfgPath).getDouble("group_norm_epsilon", vireo.lm.rwkv.Rwkv5.RWKV_CPP_GROUP_NORM_EPS));
                default -> throw new InvalidFileException(cfgPath, "model_type '" + type + "' is not supported (llama, mamba, rwkv5 are)");
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
        if (vireo.lm.rwkv.RwkvCpp.looksLike(model)) {
            var m = vireo.lm.rwkv.RwkvCpp.load(model);
            try {
                Tokenizer tok = tokenizer != null ? vireo.lm.tokenizer.RwkvWorldTokenizer.read(tokenizer)
                        : m.vocabSize() == 256 ? new vireo.lm.tokenizer.ByteTokenizer() : null;
                return new Loaded(m, tok);
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        }
        throw new InvalidFileException(model, "not a model format Vireo knows (llama2.c .bin, rwkv.cpp .bin, Hugging Face folder)");
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

    /** The given tokenizer.json, or the one in the model folder; null when there is none. */
    private static Tokenizer hfTokenizer(Path dir, Path tokenizer, LanguageModel m) {
        Path file = tokenizer != null ? tokenizer : dir.resolve("tokenizer.json");
        if (tokenizer == null && !Files.exists(file)) return null;
        try {
            return HfBpeTokenizer.read(file);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }
}
