package vireo.lm.rwkv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.SharedData;
import vireo.io.SafeTensors;
import vireo.lm.Hooks;
import vireo.lm.Models;
import vireo.tensor.TensorView;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The Hugging Face spelling of RWKV v5 (rwkv.blocks.N.attention.time_mix_key, raw time_decay) loads to the same model:
 * the rwkv.cpp test model is rewritten under HF names (time_decay back to its raw form log(−log w)) and must give the
 * same logits. transformers ships no RWKV v5 class, so this checks the name map, not the maths (rwkv.cpp's expected
 * logits do that).
 */
class RwkvNamingTest {
    @Test
    void hfNamesGiveTheSameLogits(@TempDir Path dir) throws Exception {
        Path cpp = SharedData.require("models/rwkv/tiny-rwkv-5v2-730K-FP32.bin");
        Map<String, TensorView> hf = new LinkedHashMap<>();
        try (var f = RwkvCpp.read(cpp)) {
            for (var e : f.tensors().entrySet()) {
                String name = e.getKey();
                TensorView v = e.getValue();
                if (name.endsWith("att.time_decay")) {
                    float[] w = v.toFloatArray();
                    for (int i = 0; i < w.length; i++) w[i] = (float) Math.log(-Math.log(w[i]));
                    v = TensorView.ofFloats(w, v.shape());
                } else {
                    v = TensorView.ofFloats(v.toFloatArray(), v.shape());
                }
                String h = name.equals("head.weight") ? name : "rwkv." + name.replace("emb.weight", "embeddings.weight")
                        .replace(".ln0.", ".pre_ln.").replace(".att.", ".attention.").replace(".ffn.", ".feed_forward.")
                        .replace("time_mix_k", "time_mix_key").replace("time_mix_v", "time_mix_value")
                        .replace("time_mix_r", "time_mix_receptance").replace("time_mix_g", "time_mix_gate");
                hf.put(h, v);
            }
        }
        SafeTensors.write(dir.resolve("model.safetensors"), hf, Map.of("format", "pt"));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"rwkv5\", \"group_norm_epsilon\": 1e-5}");
        try (var a = Models.load(cpp, null); var b = Models.load(dir, null)) {
            var sa = a.model().newState();
            var sb = b.model().newState();
            for (byte t : "The cat".getBytes()) {
                float[] la = a.model().step(sa, t, Hooks.NONE).clone();
                float[] lb = b.model().step(sb, t, Hooks.NONE).clone();
                assertArrayEquals(la, lb, 2e-4f);
            }
        }
    }
}
