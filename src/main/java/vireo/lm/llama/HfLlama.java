package vireo.lm.llama;

import vireo.io.HfConfig;
import vireo.io.InvalidFileException;
import vireo.io.SafeTensors;
import vireo.io.TensorFile;
import vireo.tensor.TensorView;

import java.nio.file.Files;
import java.nio.file.Path;

/** Hugging Face {@code LlamaForCausalLM}: config.json + model.safetensors (or a sharded index), names mapped onto {@link LlamaWeights}. */
public final class HfLlama {
    private HfLlama() {}

    public static Llama load(Path dir) {
        HfConfig cfg = HfConfig.read(dir.resolve("config.json"));
        int dim = cfg.getInt("hidden_size"), heads = cfg.getInt("num_attention_heads");
        // transformers 5 keeps theta and scaling in rope_parameters; older configs use rope_theta + rope_scaling
        HfConfig rope = cfg.has("rope_parameters") && cfg.raw().get("rope_parameters").isObject() ? cfg.section("rope_parameters")
                : cfg.has("rope_scaling") && cfg.raw().get("rope_scaling").isObject() ? cfg.section("rope_scaling") : null;
        double theta = cfg.getDouble("rope_theta", rope != null ? rope.getDouble("rope_theta", 10000.0) : 10000.0);
        LlamaConfig.RopeScaling scaling = null;
        if (rope != null) {
            String type = rope.getString("rope_type", rope.getString("type", "default"));
            if (type.equals("llama3"))
                scaling = new LlamaConfig.RopeScaling(rope.getDouble("factor"), rope.getDouble("low_freq_factor"),
                        rope.getDouble("high_freq_factor"), rope.getInt("original_max_position_embeddings"));
            else if (!type.equals("default"))
                throw new InvalidFileException(cfg.path(), "rope type '" + type + "' is not supported (default and llama3 are)");
        }
        boolean tied = cfg.getBool("tie_word_embeddings", false);
        LlamaConfig c = new LlamaConfig(dim, cfg.getInt("intermediate_size"), cfg.getInt("num_hidden_layers"), heads,
                cfg.getInt("num_key_value_heads", heads), cfg.getInt("vocab_size"), cfg.getInt("max_position_embeddings", 2048),
                theta, (float) cfg.getDouble("rms_norm_eps", 1e-6), false, scaling, tied);
        if (cfg.has("head_dim") && cfg.getInt("head_dim") != dim / heads)
            throw new InvalidFileException(cfg.path(), "head_dim " + cfg.getInt("head_dim") + " differs from hidden_size/num_attention_heads; not supported");
        TensorFile f = Files.exists(dir.resolve("model.safetensors.index.json")) ? SafeTensors.readSharded(dir) : SafeTensors.read(dir.resolve("model.safetensors"));
        try {
            int L = c.layers();
            TensorView[] an = new TensorView[L], q = new TensorView[L], k = new TensorView[L], v = new TensorView[L], o = new TensorView[L],
                    fn = new TensorView[L], g = new TensorView[L], d = new TensorView[L], u = new TensorView[L];
            for (int l = 0; l < L; l++) {
                String p = "model.layers." + l + ".";
                an[l] = f.get(p + "input_layernorm.weight");
                q[l] = f.get(p + "self_attn.q_proj.weight");
                k[l] = f.get(p + "self_attn.k_proj.weight");
                v[l] = f.get(p + "self_attn.v_proj.weight");
                o[l] = f.get(p + "self_attn.o_proj.weight");
                fn[l] = f.get(p + "post_attention_layernorm.weight");
                g[l] = f.get(p + "mlp.gate_proj.weight");
                d[l] = f.get(p + "mlp.down_proj.weight");
                u[l] = f.get(p + "mlp.up_proj.weight");
            }
            TensorView emb = f.get("model.embed_tokens.weight");
            TensorView cls = f.has("lm_head.weight") ? f.get("lm_head.weight") : emb;
            return new Llama(c, new LlamaWeights(emb, an, q, k, v, o, fn, g, d, u, f.get("model.norm.weight"), cls), f);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }
}
