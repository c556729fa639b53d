package vireo.steer;

/** The few dense vector operations the edits need, with dot products accumulated in double. */
final class VectorMath {
    private VectorMath() {}

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    /** ûᵀ(x − μ) in double. */
    static double dotCentered(float[] u, float[] x, float[] mu) {
        double s = 0;
        for (int i = 0; i < u.length; i++) s += (double) u[i] * ((double) x[i] - mu[i]);
        return s;
    }
}
