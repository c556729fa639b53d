package vireo.steer;

import vireo.io.InvalidFileException;
import vireo.io.SafeTensors;
import vireo.io.TensorFile;
import vireo.tensor.TensorView;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link SteeringVector} as a safetensors file: per site three float32 tensors {@code <point>.direction},
 * {@code <point>.mean_positive}, {@code <point>.mean_negative}; the record's other fields in the string metadata
 * ({@code vireo.steer = 1}, {@code model}, {@code hook}, {@code dataset}, {@code position_rule},
 * {@code n_positive}, {@code n_negative}). Readable by Python's {@code safetensors.torch.load_file}.
 */
public final class VectorFile {
    private VectorFile() {}

    public static void save(Path path, SteeringVector v) {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (SteeringVector.Site s : v.sites().values()) {
            tensors.put(s.point() + ".direction", s.direction());
            tensors.put(s.point() + ".mean_positive", s.meanPositive());
            tensors.put(s.point() + ".mean_negative", s.meanNegative());
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("vireo.steer", "1");
        meta.put("model", v.model());
        meta.put("hook", v.hook());
        meta.put("dataset", v.dataset());
        meta.put("position_rule", v.positionRule());
        meta.put("n_positive", Integer.toString(v.nPositive()));
        meta.put("n_negative", Integer.toString(v.nNegative()));
        Map<String, TensorView> views = new LinkedHashMap<>();
        tensors.forEach((k, a) -> views.put(k, TensorView.ofFloats(a, a.length)));
        SafeTensors.write(path, views, meta);
    }

    public static SteeringVector load(Path path) {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, String> m;
        try (TensorFile f = SafeTensors.read(path)) {
            m = f.metadata();
            for (var e : f.tensors().entrySet()) {
                if (!e.getValue().dtype().isFloat())
                    throw new InvalidFileException(path, "tensor " + e.getKey() + " is " + e.getValue().dtype() + ", expected floats");
                tensors.put(e.getKey(), e.getValue().toFloatArray());
            }
        }
        if (!"1".equals(m.get("vireo.steer")))
            throw new InvalidFileException(path, "not a Vireo steering vector (metadata vireo.steer missing)");
        Map<String, SteeringVector.Site> sites = new LinkedHashMap<>();
        for (String name : tensors.keySet()) {
            if (!name.endsWith(".direction")) continue;
            String p = name.substring(0, name.length() - ".direction".length());
            float[] mp = tensors.get(p + ".mean_positive"), mn = tensors.get(p + ".mean_negative");
            if (mp == null || mn == null) throw new InvalidFileException(path, "site " + p + " lacks its class means");
            sites.put(p, new SteeringVector.Site(p, tensors.get(name), mp, mn));
        }
        if (sites.isEmpty()) throw new InvalidFileException(path, "steering vector file holds no directions");
        try {
            return new SteeringVector(m.getOrDefault("model", ""), m.get("hook"), m.getOrDefault("dataset", ""),
                    m.getOrDefault("position_rule", ""), Integer.parseInt(m.get("n_positive")),
                    Integer.parseInt(m.get("n_negative")), sites);
        } catch (RuntimeException e) {
            throw new InvalidFileException(path, "bad steering vector metadata: " + e.getMessage());
        }
    }
}
