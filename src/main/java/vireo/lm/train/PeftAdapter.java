package vireo.lm.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import vireo.io.InvalidFileException;
import vireo.io.SafeTensors;
import vireo.io.TensorFile;
import vireo.lm.llama.Llama;
import vireo.lm.llama.LlamaWeights;
import vireo.tensor.Tensor;
import vireo.tensor.TensorView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A LoRA adapter in Hugging Face PEFT's layout: a folder with adapter_config.json (r, lora_alpha, lora_dropout,
 * target_modules) and adapter_model.safetensors holding base_model.model.&lt;module&gt;.lora_A.weight [r, in] and
 * .lora_B.weight [out, r] per adapted projection. Written so {@code PeftModel.from_pretrained} loads it; read from
 * folders PEFT wrote.
 */
public record PeftAdapter(Lora lora, Map<String, Tensor> tensors) {
    public static final String CONFIG = "adapter_config.json", WEIGHTS = "adapter_model.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a PEFT LoRA folder; a missing file or a non-LoRA adapter is an {@link InvalidFileException}. */
    public static PeftAdapter read(Path dir) {
        Path cfgPath = dir.resolve(CONFIG), wPath = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(cfgPath)) throw new InvalidFileException(dir, "no " + CONFIG + " (not a PEFT adapter folder)");
        JsonNode cfg;
        try {
            cfg = JSON.readTree(cfgPath.toFile());
        } catch (IOException e) {
            throw new InvalidFileException(cfgPath, "not JSON: " + e.getMessage());
        }
        if (!"LORA".equals(cfg.path("peft_type").asText("LORA"))) throw new InvalidFileException(cfgPath, "peft_type " + cfg.path("peft_type").asText() + " is not LORA");
        if (cfg.path("use_dora").asBoolean(false) || cfg.path("use_rslora").asBoolean(false))
            throw new InvalidFileException(cfgPath, "DoRA / rsLoRA adapters are not supported");
        if (!cfg.path("r").canConvertToInt() || cfg.path("r").asInt() < 1) throw new InvalidFileException(cfgPath, "r must be a positive integer");
        TreeSet<String> targets = new TreeSet<>();
        JsonNode tm = cfg.path("target_modules");
        if (tm.isArray()) tm.forEach(n -> targets.add(n.asText()));
        else if (tm.isTextual()) targets.add(tm.asText());
        if (targets.isEmpty()) throw new InvalidFileException(cfgPath, "target_modules is empty");
        Lora lora = new Lora(cfg.get("r").asInt(), cfg.path("lora_alpha").asDouble(8), Math.min(0.99, Math.max(0, cfg.path("lora_dropout").asDouble(0))), targets, 0);
        if (!Files.isRegularFile(wPath)) throw new InvalidFileException(dir, "no " + WEIGHTS);
        Map<String, Tensor> t = new LinkedHashMap<>();
        try (TensorFile f = SafeTensors.read(wPath)) {
            for (var e : f.tensors().entrySet()) t.put(e.getKey().replace(".default", ""), e.getValue().toTensor());
        }
        return new PeftAdapter(lora, t);
    }

    /** Writes the folder atomically file by file (each file appears whole or not at all). */
    public void write(Path dir, String baseModel) {
        try {
            Files.createDirectories(dir);
            Map<String, TensorView> views = new LinkedHashMap<>();
            tensors.forEach((n, v) -> views.put(n, TensorView.ofFloats(v.data, v.shape)));
            SafeTensors.write(dir.resolve(WEIGHTS), views, Map.of("format", "pt"));
            ObjectNode c = JSON.createObjectNode();
            c.put("peft_type", "LORA");
            c.put("task_type", "CAUSAL_LM");
            c.put("r", lora.rank());
            c.put("lora_alpha", lora.alpha());
            c.put("lora_dropout", lora.dropout());
            c.putArray("target_modules").addAll(new TreeSet<>(lora.targets()).stream().map(c::textNode).toList());
            c.put("bias", "none");
            c.put("fan_in_fan_out", false);
            c.put("inference_mode", true);
            c.put("init_lora_weights", true);
            c.put("use_dora", false);
            c.put("use_rslora", false);
            c.put("base_model_name_or_path", baseModel == null ? "" : baseModel);
            vireo.io.OutputFile.writeString(dir.resolve(CONFIG), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The model with W + (alpha/r)·B·A merged into heap copies of the adapted matrices (the others stay mapped), for
     * inference. Throws IllegalArgumentException naming the first tensor that does not fit.
     */
    public Llama mergeInto(Llama model) {
        LlamaWeights w = model.weights();
        TensorView[][] mats = {w.wq().clone(), w.wk().clone(), w.wv().clone(), w.wo().clone(), w.gate().clone(), w.up().clone(), w.down().clone()};
        for (var pair : pairs(model.config().layers()).entrySet()) {
            int l = pair.getValue()[0], m = pair.getValue()[1];
            Tensor a = tensors.get(pair.getKey() + ".lora_A.weight"), b = tensors.get(pair.getKey() + ".lora_B.weight");
            float[] merged = mats[m][l].toFloatArray();
            int out = mats[m][l].shape()[0], in = mats[m][l].shape()[1], r = a.shape[0];
            float s = (float) lora.scale();
            for (int i = 0; i < out; i++)
                for (int k = 0; k < r; k++) {
                    float bik = s * b.data[i * r + k];
                    for (int j = 0; j < in; j++) merged[i * in + j] += bik * a.data[k * in + j];
                }
            mats[m][l] = TensorView.ofFloats(merged, out, in);
        }
        LlamaWeights merged = new LlamaWeights(w.tokenEmbedding(), w.attnNorm(), mats[0], mats[1], mats[2], mats[3], w.ffnNorm(),
                mats[4], mats[6], mats[5], w.finalNorm(), w.classifier());
        return new Llama(model.config(), merged, null);
    }

    /**
     * Checks every tensor against the model (names it has, shapes [r, in] / [out, r]) and returns, per adapted module
     * prefix, its (layer, module index) — the one validation used by both training and inference.
     */
    Map<String, int[]> pairs(int layers) {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (String name : tensors.keySet()) {
            String prefix = name.replaceFirst("\\.lora_[AB]\\.weight$", "");
            if (prefix.equals(name)) throw new IllegalArgumentException("tensor " + name + " is not a LoRA A/B weight");
            int[] lm = locate(prefix, layers);
            if (lm == null) throw new IllegalArgumentException("adapter targets " + prefix.replace("base_model.model.", "") + ", which the model does not have");
            out.put(prefix, lm);
        }
        return out;
    }

    private static int[] locate(String prefix, int layers) {
        var m = java.util.regex.Pattern.compile("base_model\\.model\\.model\\.layers\\.(\\d+)\\.(self_attn|mlp)\\.(\\w+)").matcher(prefix);
        if (!m.matches()) return null;
        int l = Integer.parseInt(m.group(1));
        if (l >= layers) return null;
        for (int i = 0; i < TrainableLlama.MODULES.length; i++)
            if (TrainableLlama.MODULES[i].equals(m.group(3)) && m.group(2).equals(i < 4 ? "self_attn" : "mlp")) return new int[]{l, i};
        return null;
    }

    /** Validates names and shapes against the model's matrices; IllegalArgumentException names the misfit. */
    public void checkFits(Llama model) {
        LlamaWeights w = model.weights();
        TensorView[][] mats = {w.wq(), w.wk(), w.wv(), w.wo(), w.gate(), w.up(), w.down()};
        for (var pair : pairs(model.config().layers()).entrySet()) {
            TensorView base = mats[pair.getValue()[1]][pair.getValue()[0]];
            Tensor a = tensors.get(pair.getKey() + ".lora_A.weight"), b = tensors.get(pair.getKey() + ".lora_B.weight");
            String name = pair.getKey().replace("base_model.model.", "");
            if (a == null || b == null) throw new IllegalArgumentException(name + " has only one of lora_A / lora_B");
            int out = base.shape()[0], in = base.shape()[1];
            if (a.rank() != 2 || b.rank() != 2 || a.shape[1] != in || b.shape[0] != out || a.shape[0] != b.shape[1])
                throw new IllegalArgumentException(name + ": lora_A " + java.util.Arrays.toString(a.shape) + " / lora_B "
                        + java.util.Arrays.toString(b.shape) + " do not fit a [" + out + ", " + in + "] projection");
        }
    }
}
