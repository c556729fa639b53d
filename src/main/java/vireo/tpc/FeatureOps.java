package vireo.tpc;

/** Scalar helpers of the BCAE-VS gate (the tensor ops are vireo.tensor.Activations). */
final class FeatureOps {
    private FeatureOps() {}

    static float sigmoid(float v) { return (float) (1.0 / (1.0 + Math.exp(-v))); }

    /** torch.logit(p, eps): log(q / (1 − q)) with q = clamp(p, eps, 1 − eps). */
    static double logit(double p, double eps) {
        double q = Math.min(Math.max(p, eps), 1 - eps);
        return Math.log(q / (1 - q));
    }
}
