package vireo.nn;

import vireo.tensor.Tensor;

import java.util.List;

/**
 * AdamW (Loshchilov & Hutter) as torch.optim.AdamW: first p ← p·(1 − lr·wd) (decoupled weight decay, not part of
 * the gradient), then the Adam update with bias correction and eps outside the square root.
 */
public final class AdamW extends Adam {
    public AdamW(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(params, lr, beta1, beta2, eps, weightDecay, true);
    }

    /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public AdamW(List<Tensor> params, double lr) { this(params, lr, 0.9, 0.999, 1e-8, 0.01); }
}
