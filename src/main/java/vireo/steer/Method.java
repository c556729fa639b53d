package vireo.steer;

/** The interventions {@link Intervention} builds. */
public enum Method {
    /** x' = x + m·r. */
    ADD,
    /** x' = x − û(ûᵀx): directional ablation through the origin (strength ignored). */
    ABLATE,
    /** x' = x − ûûᵀ(x − μ): affine projection onto the hyperplane through a reference mean μ (strength ignored). */
    AFFINE,
    /** x' = x − ûûᵀ(x − μ⁻) + α·r: affine concept editing with the negative mean as reference. */
    ACE,
    /** state part += m·Δstate at the chosen layer(s), before the chosen tokens are consumed. */
    STATE;

    public static Method parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown method '" + s + "' (add, ablate, affine, ace, state)");
        }
    }

    public String label() { return name().toLowerCase(); }
}
