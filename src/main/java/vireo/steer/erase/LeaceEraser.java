package vireo.steer.erase;

/**
 * A fitted concept eraser for a scalar concept z, as EleutherAI's concept-erasure {@code LeaceEraser}:
 * x' = x − Σₖ leftₖ (rightₖ · (x − bias)). LEACE leaves one rank-1 term; the covariance-trace constraint mixes in
 * the orthogonal projector's term, so at most two. No terms = the identity (the concept was too weak to erase).
 *
 * @param bias  the pooled mean μ̄ of the fitting data (the reference's {@code affine=True})
 * @param left  per term, a d-vector (the reference's {@code proj_left} columns)
 * @param right per term, a d-vector (rows of {@code proj_right})
 */
public record LeaceEraser(double[] bias, double[][] left, double[][] right) {
    public LeaceEraser {
        if (left.length != right.length) throw new IllegalArgumentException("left and right differ in term count");
    }

    /** Whether this eraser changes nothing (‖Σxz‖ at or below svd_tol). */
    public boolean isIdentity() { return left.length == 0; }

    /** x ← x − Σₖ leftₖ (rightₖ · (x − bias)), in place, computed in double. */
    public void apply(float[] x) {
        if (x.length != bias.length) throw new IllegalArgumentException("eraser for size " + bias.length + ", activation has " + x.length);
        double[] delta = new double[x.length];
        for (int k = 0; k < left.length; k++) {
            double c = 0;
            for (int i = 0; i < x.length; i++) c += right[k][i] * (x[i] - bias[i]);
            for (int i = 0; i < x.length; i++) delta[i] += c * left[k][i];
        }
        for (int i = 0; i < x.length; i++) x[i] = (float) (x[i] - delta[i]);
    }

    /** The dense d×d matrix Σₖ leftₖ rightₖᵀ (I − P in the reference's notation), for tests and inspection. */
    public double[][] matrix() {
        int d = bias.length;
        double[][] m = new double[d][d];
        for (int k = 0; k < left.length; k++)
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) m[i][j] += left[k][i] * right[k][j];
        return m;
    }
}
