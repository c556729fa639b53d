package vireo.steer;

import vireo.lm.Hooks;

import java.util.List;
import java.util.function.IntPredicate;

/**
 * One steering edit as a value: what to do ({@link Method}), with which vector, at which layers and hook point,
 * how strongly, on which token positions. {@link #hooks(int)} turns it into a {@link Hooks} value for a prompt of
 * known length; nothing else in Vireo needs to know steering exists.
 *
 * <p><b>ACE convention.</b> Vireo's ACE is the paper form x' = x − ûûᵀ(x − μ⁻) + α·r with the negative-class mean
 * μ⁻ as reference, so α = 0 lands every edited activation's concept coordinate on the negative mean and α = 1 on
 * the positive mean. EleutherAI's steering-llama3 ({@code --leace orth}) computes x − ûûᵀ(x − μ̄) + m·r with the
 * pooled mean μ̄; since ûûᵀ(μ̄ − μ⁻) = (n⁺/(n⁺+n⁻))·r, the two agree when α = m + n⁺/(n⁺+n⁻), i.e. their
 * m = α − ½ for balanced sets ({@link #alphaForReferenceMultiplier}).
 *
 * @param method    the edit
 * @param vector    directions and means
 * @param layers    layers to edit (each with its own direction)
 * @param strength  m for ADD/STATE, α for ACE; ignored by ABLATE/AFFINE
 * @param positions token positions edited (for STATE: positions before which the state is edited)
 * @param applyAt   hook template to edit, {@code null} = where the vector was read; the direction of layer i is
 *                  used at {@code applyAt} of layer i. For STATE it selects state parts, e.g.
 *                  {@code blocks.{i}.state.wkv} (null = every part of the layer)
 * @param reference the μ of AFFINE (default pooled, as steering-llama3's orth eraser)
 */
public record Intervention(Method method, SteeringVector vector, List<Integer> layers, double strength,
                           Positions positions, String applyAt, Reference reference) {

    public enum Reference { POOLED, NEGATIVE, POSITIVE }

    /** concept-erasure's default svd_tol: singular values of Σxz at or below it are not erased. */
    public static final double SVD_TOL = 0.01;

    public Intervention {
        layers = List.copyOf(layers);
        if (method == Method.STATE && !vector.isState())
            throw new IllegalArgumentException("state steering needs a state vector (read with final-state), got hook " + vector.hook());
        if (method != Method.STATE && vector.isState())
            throw new IllegalArgumentException(method.label() + " needs an activation vector; " + vector.hook() + " is a state vector (use state)");
        if (reference == null) reference = Reference.POOLED;
    }

    public static Intervention of(Method method, SteeringVector vector, List<Integer> layers, double strength, Positions positions) {
        return new Intervention(method, vector, layers, strength, positions, null, Reference.POOLED);
    }

    /** α of Vireo's ACE equal to steering-llama3's orth multiplier m: α = m + n⁺/(n⁺+n⁻). */
    public static double alphaForReferenceMultiplier(double m, int nPositive, int nNegative) {
        return m + (double) nPositive / (nPositive + nNegative);
    }

    /** The hooks that perform this edit on a sequence whose prompt has {@code promptLength} tokens. */
    public Hooks hooks(int promptLength) {
        IntPredicate at = positions.bind(promptLength);
        Hooks h = Hooks.NONE;
        for (int layer : layers) {
            if (method == Method.STATE) {
                String only = applyAt == null ? null : SteeringVector.point(applyAt, layer);
                boolean any = false;
                for (SteeringVector.Site s : vector.stateParts(layer)) {
                    if (only != null && !s.point().equals(only)) continue;
                    any = true;
                    if (strength == 0) continue;
                    float[] d = s.direction();
                    double m = strength;
                    h = h.with(s.point(), (p, x) -> { if (at.test(p)) { check(s, x); Edits.add(x, d, m); } });
                }
                if (!any) throw new IllegalArgumentException("steering vector has no state part " + only);
                continue;
            }
            SteeringVector.Site s = vector.layer(layer);
            String point = SteeringVector.point(applyAt == null ? vector.hook() : applyAt, layer);
            float[] r = s.direction(), u = s.unit();
            double m = strength;
            // concept-erasure's orth eraser drops the projection when ‖Σxz‖ ≤ svd_tol (0.01); for z ∈ {0,1},
            // Σxz = n⁺n⁻/(n(n−1))·r. Then ACE reduces to its addition part, x + (α − n⁺/n)·r, as the reference's
            // identity eraser + m·r, and affine to the identity.
            int np = vector.nPositive(), nn = vector.nNegative(), nt = np + nn;
            boolean noProjection = nt > 1 && s.norm() * np * nn / ((double) nt * (nt - 1)) <= SVD_TOL;
            switch (method) {
                // m = 0 installs no edit at all, so the run is the unsteered run bit for bit.
                case ADD -> { if (m != 0) h = h.with(point, (p, x) -> { if (at.test(p)) { check(s, x); Edits.add(x, r, m); } }); }
                case ABLATE -> h = h.with(point, (p, x) -> { if (at.test(p)) { check(s, x); Edits.ablate(x, u); } });
                case AFFINE -> {
                    if (noProjection) continue;
                    float[] mu = switch (reference) {
                        case POOLED -> s.pooledMean(vector.nPositive(), vector.nNegative());
                        case NEGATIVE -> s.meanNegative();
                        case POSITIVE -> s.meanPositive();
                    };
                    h = h.with(point, (p, x) -> { if (at.test(p)) { check(s, x); Edits.affine(x, u, mu); } });
                }
                case ACE -> {
                    if (noProjection) {
                        double shift = m - (double) np / nt;
                        if (shift != 0) h = h.with(point, (p, x) -> { if (at.test(p)) { check(s, x); Edits.add(x, r, shift); } });
                        continue;
                    }
                    float[] mu = s.meanNegative();
                    h = h.with(point, (p, x) -> { if (at.test(p)) { check(s, x); Edits.ace(x, u, mu, r, m); } });
                }
                case STATE -> throw new AssertionError();
            }
        }
        return h;
    }

    private static void check(SteeringVector.Site s, float[] x) {
        if (x.length != s.size())
            throw new IllegalArgumentException("steering vector site " + s.point() + " has size " + s.size()
                    + " but the hooked activation has size " + x.length + " (vector from another model?)");
    }

    /** "ace L3 α=1.0 @all" — for tables and plot legends. */
    public String label() {
        String str = switch (method) {
            case ADD, STATE -> " m=" + strength;
            case ACE -> " α=" + strength;
            default -> "";
        };
        return method.label() + " L" + layers + str + " @" + positions;
    }
}
