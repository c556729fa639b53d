package vireo.nn;

import vireo.tensor.Tensor;

import java.util.List;

/** Updates a fixed list of trainable tensors from their accumulated gradients (PyTorch's torch.optim contract). */
public abstract class Optimizer {
    protected final List<Tensor> params;
    protected double lr;

    protected Optimizer(List<Tensor> params, double lr) {
        if (lr < 0) throw new IllegalArgumentException("learning rate must be ≥ 0, got " + lr);
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /** One update of every parameter that has a gradient (parameters without one are skipped, like PyTorch). */
    public abstract void step();

    public void zeroGrad() {
        for (Tensor p : params) p.zeroGrad();
    }

    public double lr() { return lr; }

    public void setLr(double lr) { this.lr = lr; }

    public List<Tensor> params() { return params; }
}
