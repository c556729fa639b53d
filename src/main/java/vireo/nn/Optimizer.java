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

    /**
     * torch.nn.utils.clip_grad_norm_: the global L2 norm of all gradients; if it exceeds {@code maxNorm}, every
     * gradient is scaled by maxNorm / (norm + 1e-6). Returns the norm before clipping.
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) {
        double ss = 0;
        for (Tensor p : params) if (p.grad != null) for (float g : p.grad) ss += (double) g * g;
        double norm = Math.sqrt(ss), scale = maxNorm / (norm + 1e-6);
        if (scale < 1)
            for (Tensor p : params) if (p.grad != null) for (int i = 0; i < p.grad.length; i++) p.grad[i] *= (float) scale;
        return norm;
    }
}
