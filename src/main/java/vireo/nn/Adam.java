package vireo.nn;

import vireo.tensor.Tensor;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma & Ba) as torch.optim.Adam computes it: m ← m + (1−β₁)(g − m), v ← β₂v + (1−β₂)g²,
 * p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + eps) — eps added after the bias-corrected square root. Weight
 * decay here is the classic L2 term added to the gradient; {@link AdamW} decouples it.
 */
public class Adam extends Optimizer {
    protected final double beta1, beta2, eps, weightDecay;
    private final boolean decoupled;
    private final Map<Tensor, float[][]> state = new IdentityHashMap<>();
    private final Map<Tensor, Integer> steps = new IdentityHashMap<>();

    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(params, lr, beta1, beta2, eps, weightDecay, false);
    }

    /** lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay: PyTorch's defaults. */
    public Adam(List<Tensor> params, double lr) { this(params, lr, 0.9, 0.999, 1e-8, 0); }

    Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        super(params, lr);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    /** One parameter's optimizer state: steps taken and the first/second moment estimates (for checkpoints). */
    public record State(int step, float[] m, float[] v) {}

    /** The state of {@code p}, or null before its first update. Arrays are copies. */
    public State state(Tensor p) {
        float[][] mv = state.get(p);
        return mv == null ? null : new State(steps.get(p), mv[0].clone(), mv[1].clone());
    }

    /** Restores {@code p}'s state (e.g. when resuming training from a checkpoint). */
    public void setState(Tensor p, State s) {
        if (!params.contains(p)) throw new IllegalArgumentException("not a parameter of this optimizer");
        if (s.m().length != p.size() || s.v().length != p.size())
            throw new IllegalArgumentException("optimizer state holds " + s.m().length + " values for a parameter of " + p.size());
        state.put(p, new float[][]{s.m().clone(), s.v().clone()});
        steps.put(p, s.step());
    }

    @Override
    public void step() {
        for (Tensor p : params) {
            if (p.grad == null) continue;
            float[] w = p.data, g = p.grad;
            float[][] mv = state.computeIfAbsent(p, k -> new float[][]{new float[w.length], new float[w.length]});
            float[] m = mv[0], v = mv[1];
            int t = steps.merge(p, 1, Integer::sum);
            double bc1 = 1 - Math.pow(beta1, t), bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
            float stepSize = (float) (lr / bc1), bc2 = (float) bc2Sqrt, e = (float) eps;
            float b1 = (float) (1 - beta1), b2 = (float) beta2, omb2 = (float) (1 - beta2), wd = (float) weightDecay;
            float shrink = (float) (1 - lr * weightDecay);
            for (int i = 0; i < w.length; i++) {
                float gi = g[i];
                if (decoupled) w[i] *= shrink;
                else if (wd != 0) gi += wd * w[i];
                m[i] += b1 * (gi - m[i]);
                v[i] = v[i] * b2 + omb2 * gi * gi;
                float denom = (float) Math.sqrt(v[i]) / bc2 + e;
                w[i] -= stepSize * (m[i] / denom);
            }
        }
    }
}
