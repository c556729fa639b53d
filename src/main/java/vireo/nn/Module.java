package vireo.nn;

import vireo.tensor.Tensor;
import vireo.tensor.TensorView;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A layer holding named trainable tensors, named buffers (running statistics) and named sub-layers, so that
 * {@link #stateDict()} produces PyTorch's names ("3.weight", "decoder.1.running_var") in PyTorch's order: a
 * module's own parameters, then its buffers, then each child in registration order.
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> params = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    protected boolean training = true;

    public abstract Tensor forward(Tensor x);

    protected Tensor parameter(String name, Tensor t) {
        params.put(name, t.requiresGrad(true));
        return t;
    }

    protected Tensor buffer(String name, Tensor t) {
        buffers.put(name, t);
        return t;
    }

    protected <M extends Module> M child(String name, M m) {
        children.put(name, m);
        return m;
    }

    /** Switches this module and its children between training (batch statistics) and evaluation. */
    public Module train(boolean on) {
        training = on;
        for (Module c : children.values()) c.train(on);
        return this;
    }

    public boolean training() { return training; }

    public Map<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true, false);
        return out;
    }

    public Map<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false, true);
        return out;
    }

    /** Parameters and buffers under PyTorch's state-dict names and order. */
    public Map<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true, true);
        return out;
    }

    public List<Tensor> parameters() { return new ArrayList<>(namedParameters().values()); }

    private void collect(String prefix, Map<String, Tensor> out, boolean withParams, boolean withBuffers) {
        if (withParams) params.forEach((k, v) -> out.put(prefix + k, v));
        if (withBuffers) buffers.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, c) -> c.collect(prefix + k + ".", out, withParams, withBuffers));
    }

    /**
     * Copies values from a state dict (e.g. a checkpoint's views, any dtype) into this module's tensors. Every
     * entry must be present with the same number of values; extra entries in {@code state} are an error when
     * {@code strict}. Messages name the entry.
     */
    public void loadState(Map<String, TensorView> state, boolean strict) {
        Map<String, Tensor> mine = stateDict();
        for (Map.Entry<String, Tensor> e : mine.entrySet()) {
            TensorView v = state.get(e.getKey());
            if (v == null) throw new IllegalArgumentException("state dict has no entry " + e.getKey());
            Tensor t = e.getValue();
            if (v.numel() != t.size())
                throw new IllegalArgumentException("state dict entry " + e.getKey() + " has shape " + Arrays.toString(v.shape())
                        + ", expected " + Arrays.toString(t.shape));
            float[] src = v.toFloatArray();
            System.arraycopy(src, 0, t.data, 0, src.length);
        }
        if (strict)
            for (String k : state.keySet())
                if (!mine.containsKey(k)) throw new IllegalArgumentException("unexpected state dict entry " + k);
    }

    /** A parameter-free layer (activation, padding) so that Sequential indices line up with PyTorch's. */
    public static Module of(UnaryOperator<Tensor> f) {
        return new Module() {
            @Override
            public Tensor forward(Tensor x) { return f.apply(x); }
        };
    }
}
