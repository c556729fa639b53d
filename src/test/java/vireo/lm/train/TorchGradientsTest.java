package vireo.lm.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import vireo.io.SafeTensors;
import vireo.io.TensorFile;
import vireo.lm.Hooks;
import vireo.lm.Models;
import vireo.lm.llama.Llama;
import vireo.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loss and every parameter's gradient against torch autograd in float64 (tools/fixtures/make_train_fixtures.py). */
class TorchGradientsTest {
    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures", "llama");

    static int[][] ints(JsonNode n) {
        int[][] out = new int[n.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new int[n.get(i).size()];
            for (int j = 0; j < out[i].length; j++) out[i][j] = n.get(i).get(j).asInt();
        }
        return out;
    }

    /** max |a − b| / max |b| over one tensor: relative to the tensor's scale, so near-zero entries do not dominate. */
    static void assertClose(String what, float[] got, TensorFile ref, String name) {
        float[] want = ref.get(name).toFloatArray();
        double scale = 0, worst = 0;
        for (float v : want) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
        assertTrue(worst <= 1e-4 * scale, what + " " + name + ": max error " + worst + " vs scale " + scale);
    }

    @Test
    void fullFineTuningGradientsMatchTorch() throws Exception {
        for (String name : new String[]{"untied", "tied-llama3-rope"}) {
            Path dir = FIXTURES.resolve(name);
            JsonNode exp = new ObjectMapper().readTree(dir.resolve("train/expected.json").toFile());
            try (Models.Loaded m = Models.load(dir, null); TensorFile grads = SafeTensors.read(dir.resolve("train/grads.safetensors"))) {
                TrainableLlama t = new TrainableLlama((Llama) m.model(), null);
                Tensor loss = t.loss(ints(exp.get("rows")), ints(exp.get("targets")));
                assertEquals(exp.get("loss").asDouble(), loss.item(), 1e-4 * exp.get("loss").asDouble(), name + " loss");
                loss.backward();
                assertEquals(grads.tensors().size(), t.trainableParameters().size(), name + ": parameter count");
                for (var e : t.trainableParameters().entrySet()) assertClose(name, e.getValue().grad, grads, e.getKey());
            }
        }
    }

    @Test
    void peftAdapterLogitsLossAndLoraGradientsMatchPeft() throws Exception {
        Path dir = FIXTURES.resolve("untied");
        JsonNode exp = new ObjectMapper().readTree(dir.resolve("train/lora_expected.json").toFile());
        try (Models.Loaded m = Models.load(dir, null); TensorFile grads = SafeTensors.read(dir.resolve("train/lora_grads.safetensors"))) {
            Llama base = (Llama) m.model();
            PeftAdapter adapter = PeftAdapter.read(dir.resolve("train/adapter"));
            assertEquals(4, adapter.lora().rank());
            TrainableLlama t = TrainableLlama.withAdapter(base, adapter);
            Tensor loss = t.loss(ints(exp.get("rows")), ints(exp.get("targets")));
            assertEquals(exp.get("loss").asDouble(), loss.item(), 1e-4 * exp.get("loss").asDouble(), "LoRA loss");
            loss.backward();
            assertEquals(grads.tensors().size(), t.trainableParameters().size());
            for (var e : t.trainableParameters().entrySet()) assertClose("lora", e.getValue().grad, grads, e.getKey());
            // inference with the adapter merged (what --adapter does) gives peft's logits
            Llama merged = adapter.mergeInto(base);
            var state = merged.newState();
            JsonNode rows = exp.get("rows").get(0), logits = exp.get("logits_row0");
            double worst = 0;
            for (int p = 0; p < rows.size(); p++) {
                float[] z = merged.step(state, rows.get(p).asInt(), Hooks.NONE);
                for (int v = 0; v < z.length; v++) worst = Math.max(worst, Math.abs(z[v] - logits.get(p).get(v).asDouble()));
            }
            assertTrue(worst < 1e-4, "merged adapter logits vs peft: " + worst);
        }
    }

    @Test
    void adapterRoundTripsAndMisfitsAreNamed(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path dir = FIXTURES.resolve("untied");
        try (Models.Loaded m = Models.load(dir, null)) {
            Llama base = (Llama) m.model();
            TrainableLlama t = new TrainableLlama(base, new Lora(2, 4, 0, Set.of("q", "gate"), 3));
            t.adapter().write(tmp.resolve("a"), dir.toString());
            PeftAdapter back = PeftAdapter.read(tmp.resolve("a"));
            assertEquals(Set.of("q_proj", "gate_proj"), back.lora().targets());
            for (var e : t.trainableParameters().entrySet())
                org.junit.jupiter.api.Assertions.assertArrayEquals(e.getValue().data, back.tensors().get(e.getKey()).data);
            // wrong shapes: a rank-2 A with a rank-3 B
            Map<String, Tensor> bad = new java.util.LinkedHashMap<>(back.tensors());
            String a = "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight";
            bad.put(a, Tensor.zeros(32, 3));
            var ex = assertThrows(IllegalArgumentException.class, () -> new PeftAdapter(back.lora(), bad).checkFits(base));
            assertTrue(ex.getMessage().contains("q_proj") && ex.getMessage().contains("do not fit"), ex.getMessage());
            Map<String, Tensor> absent = new java.util.LinkedHashMap<>(back.tensors());
            absent.put("base_model.model.model.layers.7.self_attn.q_proj.lora_A.weight", Tensor.zeros(2, 32));
            ex = assertThrows(IllegalArgumentException.class, () -> new PeftAdapter(back.lora(), absent).checkFits(base));
            assertTrue(ex.getMessage().contains("does not have"), ex.getMessage());
            assertTrue(Files.exists(tmp.resolve("a").resolve(PeftAdapter.CONFIG)));
            String keep = System.getProperty("vireo.peftCheckDir"); // tools/fixtures/check_peft_loads.py reads it
            if (keep != null) {
                for (var p : t.trainableParameters().values()) for (int i = 0; i < p.size(); i++) p.data[i] = (float) Math.sin(i + p.size());
                t.adapter().write(Path.of(keep), dir.toAbsolutePath().toString());
            }
        }
    }
}
