package vireo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import vireo.io.InvalidFileException;
import vireo.io.Npy;
import vireo.io.SafeTensors;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;
import vireo.lm.Models;
import vireo.tensor.TensorView;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vireo lm activations}: record hook-point activations of a dataset of prompts. */
@Command(name = "activations", mixinStandardHelpOptions = true,
        description = "Run prompts through a model and save the activations at chosen hook points "
                + "(safetensors: one tensor per hook point; .npy: one array [prompts, hooks, d_model]).")
public final class LmActivationsCommand implements Callable<Integer> {
    @Mixin LmModelOptions modelOptions;

    @Option(names = "--prompts", required = true, paramLabel = "FILE", description = "Prompts: a .txt file (one per line) or a .json list of strings.")
    Path prompts;

    @Option(names = "--hook", defaultValue = "blocks.*.resid_post", paramLabel = "GLOB",
            description = "Hook points to record; * matches a layer number (default ${DEFAULT-VALUE}).")
    String hook;

    @Option(names = "--positions", defaultValue = "last", description = "last (the last prompt token) or all (default ${DEFAULT-VALUE}).")
    String positions;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output .safetensors or .npy file.")
    Path output;

    @Override
    public Integer call() {
        boolean all = switch (positions) {
            case "last" -> false;
            case "all" -> true;
            default -> throw new UserError("--positions must be last or all, got " + positions);
        };
        String out = output.getFileName().toString();
        boolean npy = out.endsWith(".npy");
        if (!npy && !out.endsWith(".safetensors")) throw new UserError(output + ": output must end in .safetensors or .npy");
        if (npy && all) throw new UserError("--positions all needs a .safetensors output (prompts have different lengths)");
        List<String> texts = readPrompts(prompts);
        try (Models.Loaded m = modelOptions.load(true)) {
            LanguageModel lm = m.model();
            List<String> points;
            try {
                points = vireo.lm.HookPoints.resolve(lm.hookPoints(), hook);
            } catch (IllegalArgumentException e) {
                throw new UserError("--hook: " + e.getMessage());
            }
            // bad prompts (a token outside the vocabulary, longer than the context) are reported before any work
            List<int[]> encoded = new ArrayList<>();
            for (String t : texts) {
                int[] ids = m.tokenizer().encode(t, modelOptions.bos(m.tokenizer()));
                try {
                    lm.checkBatch(List.of(new LanguageModel.Sequence(lm.newState(), ids, Hooks.NONE)));
                } catch (IllegalArgumentException e) {
                    throw new UserError(prompts + ": prompt " + (encoded.size() + 1) + ": " + e.getMessage());
                }
                encoded.add(ids);
            }
            int d = lm.dModel();
            // rows per hook point: [token, d] for every recorded position
            List<List<float[]>> rows = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) rows.add(new ArrayList<>());
            List<int[]> index = new ArrayList<>(); // (prompt, position) of each recorded row
            try (var bar = Progress.bar("activations", texts.size())) {
                for (int p = 0; p < texts.size(); p++) {
                    int[] ids = encoded.get(p);
                    int last = ids.length - 1;
                    Hooks hooks = Hooks.NONE;
                    for (int h = 0; h < points.size(); h++) {
                        List<float[]> sink = rows.get(h);
                        hooks = hooks.with(points.get(h), (pos, x) -> {
                            if (all || pos == last) sink.add(x.clone());
                        });
                    }
                    var state = lm.newState();
                    lm.forward(state, ids, hooks);
                    for (int pos = all ? 0 : last; pos <= last; pos++) index.add(new int[]{p, pos});
                    bar.step();
                }
            }
            int n = index.size();
            if (npy) {
                float[] data = new float[n * points.size() * d];
                for (int r = 0; r < n; r++)
                    for (int h = 0; h < points.size(); h++) System.arraycopy(rows.get(h).get(r), 0, data, (r * points.size() + h) * d, d);
                Npy.write(output, TensorView.ofFloats(data, n, points.size(), d));
            } else {
                var tensors = new LinkedHashMap<String, TensorView>();
                for (int h = 0; h < points.size(); h++) {
                    float[] data = new float[n * d];
                    for (int r = 0; r < n; r++) System.arraycopy(rows.get(h).get(r), 0, data, r * d, d);
                    tensors.put(points.get(h), TensorView.ofFloats(data, n, d));
                }
                long[] where = new long[n * 2]; // (prompt index, token position) as int64, as torch stores indices
                for (int r = 0; r < n; r++) { where[2 * r] = index.get(r)[0]; where[2 * r + 1] = index.get(r)[1]; }
                tensors.put("prompt_position", TensorView.ofLongs(where, n, 2));
                var meta = new LinkedHashMap<String, String>();
                meta.put("model", modelOptions.model.toString());
                meta.put("prompts", prompts.toString());
                meta.put("positions", positions);
                SafeTensors.write(output, tensors, meta);
            }
            System.out.printf("%s: %d prompt(s), %d row(s) × %d hook point(s) × d_model %d%n", output, texts.size(), n, points.size(), d);
        }
        return 0;
    }

    static List<String> readPrompts(Path file) {
        try {
            if (file.getFileName().toString().endsWith(".json")) {
                JsonNode root = new ObjectMapper().readTree(vireo.io.InputFile.readAllBytes(file));
                if (root == null || !root.isArray()) throw new InvalidFileException(file, "expected a JSON list of prompt strings");
                List<String> out = new ArrayList<>();
                for (JsonNode n : root) {
                    if (!n.isTextual()) throw new InvalidFileException(file, "expected a JSON list of prompt strings, found " + n.getNodeType());
                    out.add(n.asText());
                }
                return out;
            }
            return vireo.io.InputFile.readLines(file).stream().filter(l -> !l.isBlank()).toList();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidFileException(file, "no such file");
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidFileException(file, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidFileException(file, "cannot read: " + e.getMessage());
        }
    }
}
