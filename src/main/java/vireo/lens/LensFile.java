package vireo.lens;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import vireo.io.SafeTensors;
import vireo.io.TensorFile;
import vireo.io.TorchCheckpoint;
import vireo.tensor.TensorView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tuned lens on disk: a folder with config.json and either Vireo's params.safetensors or tuned-lens's params.pt
 * (PyTorch zip). Tensor names follow tuned-lens: layer_translators.{i}.weight [d][d] and .bias [d].
 */
public final class LensFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LensFile() {}

    public static void save(TunedLens lens, Path dir, String model) {
        try {
            Files.createDirectories(dir);
            Map<String, TensorView> t = new LinkedHashMap<>();
            Translator[] tr = lens.translators();
            int d = lens.decoder().dModel();
            for (int i = 0; i < tr.length; i++) {
                t.put("layer_translators." + i + ".weight", TensorView.ofFloats(tr[i].weight, d, d));
                t.put("layer_translators." + i + ".bias", TensorView.ofFloats(tr[i].bias, d));
            }
            SafeTensors.write(dir.resolve("params.safetensors"), t, Map.of("format", "vireo-tuned-lens"));
            ObjectNode c = JSON.createObjectNode();
            c.put("base_model_name_or_path", model);
            c.put("d_model", d);
            c.put("num_hidden_layers", tr.length);
            c.put("bias", true);
            c.put("lens_type", "linear_tuned_lens");
            vireo.io.OutputFile.writeString(dir.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TunedLens load(Path dir, Decoder decoder) {
        try {
            var cfg = JSON.readTree(dir.resolve("config.json").toFile());
            int layers = cfg.path("num_hidden_layers").asInt(-1), d = cfg.path("d_model").asInt(-1);
            if (d != decoder.dModel()) throw new IllegalArgumentException(dir + ": lens d_model " + d + " does not match the model's " + decoder.dModel());
            Path st = dir.resolve("params.safetensors");
            try (TensorFile f = Files.exists(st) ? SafeTensors.read(st) : TorchCheckpoint.read(dir.resolve("params.pt"))) {
                Translator[] tr = new Translator[layers];
                for (int i = 0; i < layers; i++) {
                    TensorView b = f.get("layer_translators." + i + ".bias");
                    tr[i] = new Translator(f.get("layer_translators." + i + ".weight").toFloatArray(),
                            b == null ? new float[d] : b.toFloatArray());
                }
                return new TunedLens(decoder, tr);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
