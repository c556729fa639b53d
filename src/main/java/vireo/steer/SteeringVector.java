package vireo.steer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Difference-of-means steering directions for one model, at one family of hook points, from one contrastive
 * data set: for every site (a hook point such as {@code blocks.3.resid_post} or a state part such as
 * {@code blocks.3.state.wkv}) the class means μ⁺, μ⁻ and the direction r = μ⁺ − μ⁻ (computed from double sums,
 * then rounded once to float).
 *
 * @param model        where the activations came from (a path or a name)
 * @param hook         the hook template read, {@code blocks.{i}.resid_post}, or {@code blocks.{i}.state.*}
 * @param dataset      the data set, e.g. {@code caa:refusal}
 * @param positionRule where each example was read ({@link PositionRule#label()})
 * @param nPositive    examples averaged into μ⁺
 * @param nNegative    examples averaged into μ⁻
 * @param sites        per hook point, in layer order
 */
public record SteeringVector(String model, String hook, String dataset, String positionRule, int nPositive,
                             int nNegative, Map<String, Site> sites) {

    /** One hook point's means and direction (all the same length). */
    public record Site(String point, float[] direction, float[] meanPositive, float[] meanNegative) {
        public Site {
            if (direction.length != meanPositive.length || direction.length != meanNegative.length)
                throw new IllegalArgumentException(point + ": direction and means differ in length");
        }

        public int size() { return direction.length; }

        /** ‖r‖ in double. */
        public double norm() { return Math.sqrt(VectorMath.dot(direction, direction)); }

        /** û = r/‖r‖ (all zeros when r = 0, so projections become identities). */
        public float[] unit() {
            double n = norm();
            float[] u = new float[direction.length];
            if (n == 0) return u;
            for (int i = 0; i < u.length; i++) u[i] = (float) (direction[i] / n);
            return u;
        }

        /** μ̄ = (n⁺μ⁺ + n⁻μ⁻)/(n⁺ + n⁻), the pooled mean. */
        public float[] pooledMean(int nPositive, int nNegative) {
            float[] m = new float[direction.length];
            double t = nPositive + nNegative;
            for (int i = 0; i < m.length; i++)
                m[i] = (float) ((nPositive * (double) meanPositive[i] + nNegative * (double) meanNegative[i]) / t);
            return m;
        }
    }

    public SteeringVector {
        sites = Collections.unmodifiableMap(new LinkedHashMap<>(sites));
    }

    /** {@code template} with {@code {i}} replaced by the layer index. */
    public static String point(String template, int layer) { return template.replace("{i}", Integer.toString(layer)); }

    /** True when this vector was read from recurrent state parts rather than activations. */
    public boolean isState() { return hook.contains(".state."); }

    public Site site(String point) {
        Site s = sites.get(point);
        if (s == null) throw new IllegalArgumentException("steering vector has no site " + point + " (has " + sites.keySet() + ")");
        return s;
    }

    /** The activation site of layer {@code layer} (for residual-type vectors). */
    public Site layer(int layer) { return site(point(hook, layer)); }

    /** Every state part of layer {@code layer}: sites named {@code blocks.{layer}.state.*}. */
    public List<Site> stateParts(int layer) {
        String prefix = "blocks." + layer + ".state.";
        List<Site> out = new ArrayList<>();
        for (Site s : sites.values()) if (s.point().startsWith(prefix)) out.add(s);
        if (out.isEmpty()) throw new IllegalArgumentException("steering vector has no state parts for layer " + layer);
        return out;
    }

    /** Layers present in this vector, ascending. */
    public List<Integer> layers() {
        List<Integer> out = new ArrayList<>();
        for (String p : sites.keySet()) {
            if (!p.startsWith("blocks.")) continue;
            int dot = p.indexOf('.', 7);
            int l = Integer.parseInt(p.substring(7, dot));
            if (!out.contains(l)) out.add(l);
        }
        Collections.sort(out);
        return out;
    }
}
