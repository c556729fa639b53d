package vireo.tpc;

import vireo.tensor.Tensor;

/**
 * Element-wise ops with autograd that the BCAE-VS encoder needs on sparse features. Private stand-in until the
 * "core" helper's op classes are in main; forward and backward side by side.
 */
final class FeatureOps {
    private FeatureOps() {}

    static Tensor relu(Tensor x) {
        float[] y = new float[x.size()];
        for (int i = 0; i < y.length; i++) y[i] = Math.max(0f, x.data[i]);
        Tensor out = Tensor.of(y, x.shape);
        return Tensor.record(out, "relu", () -> {
            float[] g = new float[y.length];
            for (int i = 0; i < y.length; i++) g[i] = x.data[i] > 0 ? out.grad[i] : 0f;
            x.accumulate(g);
        }, x);
    }

    static Tensor sigmoid(Tensor x) {
        float[] y = new float[x.size()];
        for (int i = 0; i < y.length; i++) y[i] = sigmoid(x.data[i]);
        Tensor out = Tensor.of(y, x.shape);
        return Tensor.record(out, "sigmoid", () -> {
            float[] g = new float[y.length];
            for (int i = 0; i < y.length; i++) g[i] = out.grad[i] * y[i] * (1 - y[i]);
            x.accumulate(g);
        }, x);
    }

    static float sigmoid(float v) { return (float) (1.0 / (1.0 + Math.exp(-v))); }

    /** torch.logit(p, eps): log(q / (1 − q)) with q = clamp(p, eps, 1 − eps). */
    static double logit(double p, double eps) {
        double q = Math.min(Math.max(p, eps), 1 - eps);
        return Math.log(q / (1 - q));
    }
}
