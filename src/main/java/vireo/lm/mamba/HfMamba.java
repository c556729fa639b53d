package vireo.lm.mamba;

import vireo.io.HfConfig;
import vireo.io.InvalidFileException;
import vireo.io.SafeTensors;
import vireo.io.TensorFile;
import vireo.tensor.TensorView;

import java.nio.file.Files;
import java.nio.file.Path;

/** Hugging Face {@code MambaForCausalLM}: config.json + safetensors (also mamba_ssm's embedding name), onto {@link MambaWeights}. */
public final class HfMamba {
    private HfMamba() {}

    public static Mamba load(Path dir) {
        HfConfig cfg = HfConfig.read(dir.resolve("config.json"));
        int d = cfg.getInt("hidden_size", cfg.getInt("d_model", 0));
        if (d <= 0) throw new InvalidFileException(cfg.path(), "no hidden_size");
        int expand = cfg.getInt("expand", 2);
        int dInner = cfg.getInt("intermediate_size", expand * d);
        int dtRank = cfg.has("time_step_rank") && cfg.raw().get("time_step_rank").isNumber()
                ? cfg.getInt("time_step_rank") : (d + 15) / 16; // "auto" = ceil(d / 16)
        MambaConfig c = new MambaConfig(d, dInner, cfg.getInt("state_size", 16), cfg.getInt("conv_kernel", 4), dtRank,
                cfg.getInt("num_hidden_layers", cfg.getInt("n_layer", 0)), cfg.getInt("vocab_size"),
                (float) cfg.getDouble("layer_norm_epsilon", 1e-5), cfg.getBool("use_conv_bias", true), cfg.getBool("use_bias", false));
        if (c.projBias()) throw new InvalidFileException(cfg.path(), "use_bias=true (biased projections) is not supported");
        TensorFile f = Files.exists(dir.resolve("model.safetensors.index.json")) ? SafeTensors.readSharded(dir) : SafeTensors.read(dir.resolve("model.safetensors"));
        try {
            int L = c.layers();
            TensorView[] norm = new TensorView[L], in = new TensorView[L], cw = new TensorView[L], cb = new TensorView[L], xp = new TensorView[L],
                    dt = new TensorView[L], dtb = new TensorView[L], al = new TensorView[L], dd = new TensorView[L], out = new TensorView[L];
            for (int l = 0; l < L; l++) {
                String p = "backbone.layers." + l + ".";
                norm[l] = f.get(p + "norm.weight");
                in[l] = f.get(p + "mixer.in_proj.weight");
                cw[l] = f.get(p + "mixer.conv1d.weight");
                cb[l] = c.convBias() ? f.get(p + "mixer.conv1d.bias") : null;
                xp[l] = f.get(p + "mixer.x_proj.weight");
                dt[l] = f.get(p + "mixer.dt_proj.weight");
                dtb[l] = f.get(p + "mixer.dt_proj.bias");
                al[l] = f.get(p + "mixer.A_log");
                dd[l] = f.get(p + "mixer.D");
                out[l] = f.get(p + "mixer.out_proj.weight");
                check(f, in[l], 2 * dInner, d);
                check(f, xp[l], dtRank + 2 * c.dState(), dInner);
                check(f, al[l], dInner, c.dState());
            }
            TensorView emb = f.has("backbone.embeddings.weight") ? f.get("backbone.embeddings.weight") : f.get("backbone.embedding.weight");
            TensorView head = f.has("lm_head.weight") ? f.get("lm_head.weight") : emb;
            return new Mamba(c, new MambaWeights(emb, norm, in, cw, cb, xp, dt, dtb, al, dd, out, f.get("backbone.norm_f.weight"), head), f);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private static void check(TensorFile f, TensorView v, int rows, int cols) {
        if (v.rank() != 2 || v.shape()[0] != rows || v.shape()[1] != cols)
            throw new InvalidFileException(f.path(), "tensor of shape " + java.util.Arrays.toString(v.shape()) + " where the config implies [" + rows + ", " + cols + "]");
    }
}
