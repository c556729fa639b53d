package vireo.io;

import vireo.tensor.TensorView;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a tensor file holds: each tensor's name, dtype and shape, totals, and the file's metadata (sorted by key). */
public record Inventory(String file, String format, List<Item> tensors, long parameters, long bytes, Map<String, String> metadata) {

    public record Item(String name, String dtype, int[] shape, long parameters, long bytes) {}

    public static Inventory of(TensorFile f) {
        long params = 0, bytes = 0;
        var items = new java.util.ArrayList<Item>();
        for (var e : f.tensors().entrySet()) {
            TensorView v = e.getValue();
            items.add(new Item(e.getKey(), v.dtype().name(), v.shape(), v.numel(), v.segment().byteSize()));
            params += v.numel();
            bytes += v.segment().byteSize();
        }
        return new Inventory(f.path().toString(), f.format(), List.copyOf(items), params, bytes, new TreeMap<>(f.metadata()));
    }

    /** Opens {@code path} with {@link Formats#open}, lists it, and closes it. */
    public static Inventory of(Path path) {
        try (TensorFile f = Formats.open(path)) {
            return of(f);
        }
    }
}
