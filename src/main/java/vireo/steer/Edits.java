package vireo.steer;

/**
 * The per-token edits, in place on one activation x. û is a unit vector, r = μ⁺ − μ⁻. Projections are computed
 * in double and written back once.
 */
public final class Edits {
    private Edits() {}

    /** x ← x + m·r. */
    public static void add(float[] x, float[] r, double m) {
        for (int i = 0; i < x.length; i++) x[i] = (float) (x[i] + m * r[i]);
    }

    /** x ← x − û(ûᵀx). */
    public static void ablate(float[] x, float[] u) {
        double c = VectorMath.dot(u, x);
        for (int i = 0; i < x.length; i++) x[i] = (float) (x[i] - c * u[i]);
    }

    /** x ← x − ûûᵀ(x − μ): afterwards ûᵀx = ûᵀμ. */
    public static void affine(float[] x, float[] u, float[] mu) {
        double c = VectorMath.dotCentered(u, x, mu);
        for (int i = 0; i < x.length; i++) x[i] = (float) (x[i] - c * u[i]);
    }

    /**
     * ACE, x ← x − ûûᵀ(x − μ⁻) + α·r: afterwards ûᵀx = ûᵀμ⁻ + α‖r‖. α = 0 puts the concept coordinate at the
     * negative mean, α = 1 at the positive mean.
     */
    public static void ace(float[] x, float[] u, float[] muNegative, float[] r, double alpha) {
        double c = VectorMath.dotCentered(u, x, muNegative);
        for (int i = 0; i < x.length; i++) x[i] = (float) (x[i] - c * u[i] + alpha * r[i]);
    }
}
