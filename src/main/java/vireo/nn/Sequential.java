package vireo.nn;

import vireo.tensor.Tensor;

import java.util.List;

/** Layers applied in order, named "0", "1", … like nn.Sequential. */
public final class Sequential extends Module {
    private final List<Module> layers;

    public Sequential(Module... layers) {
        this.layers = List.of(layers);
        for (int i = 0; i < layers.length; i++) child(Integer.toString(i), layers[i]);
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Module m : layers) x = m.forward(x);
        return x;
    }

    public Module get(int i) { return layers.get(i); }

    public int size() { return layers.size(); }
}
