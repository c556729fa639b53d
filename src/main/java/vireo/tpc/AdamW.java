package vireo.tpc;

import vireo.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW as PyTorch defines it (decoupled weight decay p ← p − lr·wd·p, betas 0.9/0.999, eps 1e-8, bias-corrected
 * moments). Private stand-in until vireo.nn.AdamW is in main; state is exposed for checkpoints.
 */
final class AdamW {
    final Map<String, Tensor> params;
    final Map<String, float[]> m = new LinkedHashMap<>(), v = new LinkedHashMap<>();
    double lr;
    final double weightDecay, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
    long step;

    AdamW(Map<String, Tensor> params, double lr, double weightDecay) {
        this.params = params;
        this.lr = lr;
        this.weightDecay = weightDecay;
        params.forEach((k, p) -> { m.put(k, new float[p.size()]); v.put(k, new float[p.size()]); });
    }

    void step() {
        step++;
        double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
        for (var e : params.entrySet()) {
            Tensor p = e.getValue();
            if (p.grad == null) continue;
            float[] mm = m.get(e.getKey()), vv = v.get(e.getKey());
            for (int i = 0; i < p.data.length; i++) {
                float g = p.grad[i];
                p.data[i] -= (float) (lr * weightDecay * p.data[i]);
                mm[i] = (float) (beta1 * mm[i] + (1 - beta1) * g);
                vv[i] = (float) (beta2 * vv[i] + (1 - beta2) * g * g);
                p.data[i] -= (float) (lr * (mm[i] / bc1) / (Math.sqrt(vv[i] / bc2) + eps));
            }
        }
    }

    void zeroGrad() { params.values().forEach(Tensor::zeroGrad); }
}
