package vireo.nn;

import vireo.tensor.Tensor;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with PyTorch's semantics: g = ∇ + wd·p; with momentum μ the buffer starts as g and
 * then b = μ·b + (1 − dampening)·g; Nesterov uses g + μ·b, plain momentum uses b; p −= lr·g.
 */
public final class Sgd extends Optimizer {
    private final double momentum, dampening, weightDecay;
    private final boolean nesterov;
    private final Map<Tensor, float[]> buffers = new IdentityHashMap<>();

    public Sgd(List<Tensor> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super(params, lr);
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    public Sgd(List<Tensor> params, double lr) { this(params, lr, 0, 0, 0, false); }

    /** The momentum buffer of {@code p} (a copy), or null before its first update or without momentum. */
    public float[] momentumBuffer(Tensor p) {
        float[] b = buffers.get(p);
        return b == null ? null : b.clone();
    }

    /** Restores {@code p}'s momentum buffer (e.g. when resuming training). */
    public void setMomentumBuffer(Tensor p, float[] buffer) {
        if (!params.contains(p)) throw new IllegalArgumentException("not a parameter of this optimizer");
        if (buffer.length != p.size()) throw new IllegalArgumentException("momentum buffer of " + buffer.length + " values for a parameter of " + p.size());
        buffers.put(p, buffer.clone());
    }

    @Override
    public void step() {
        float lrF = (float) lr, mu = (float) momentum, damp = (float) (1 - dampening), wd = (float) weightDecay;
        for (Tensor p : params) {
            if (p.grad == null) continue;
            float[] w = p.data, g = p.grad;
            float[] buf = momentum != 0 ? buffers.get(p) : null;
            boolean first = momentum != 0 && buf == null;
            if (first) buffers.put(p, buf = new float[w.length]);
            for (int i = 0; i < w.length; i++) {
                float d = wd != 0 ? g[i] + wd * w[i] : g[i];
                if (buf != null) {
                    buf[i] = first ? d : mu * buf[i] + damp * d;
                    d = nesterov ? d + mu * buf[i] : buf[i];
                }
                w[i] -= lrF * d;
            }
        }
    }
}
