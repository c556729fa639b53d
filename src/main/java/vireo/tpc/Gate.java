package vireo.tpc;

/**
 * Which signal voxels BCAE-VS keeps, given each voxel's keep probability p (encoder channel 0).
 * <ul>
 * <li>{@link Random}: the authors' inference gate — keep iff logit(p) > logit(u), u ~ U(0,1) drawn per voxel from a
 *     seeded generator in row order, i.e. Bernoulli(p). eps 1e-6 in both logits.</li>
 * <li>{@link Threshold}: deterministic, keep iff p > t (logit is monotone, so this equals logit(p) > logit(t)).</li>
 * </ul>
 */
public sealed interface Gate {
    double EPS = 1e-6;

    /** Decides for each of the n probabilities (in row order) whether to keep it. */
    boolean[] keep(float[] prob);

    /** The gate for the i-th wedge of a file: the random gate draws from seed + i, so wedges get independent draws. */
    default Gate forWedge(int i) { return this instanceof Random r ? new Random(r.seed() + i) : this; }

    record Random(long seed) implements Gate {
        @Override
        public boolean[] keep(float[] prob) {
            java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
            boolean[] k = new boolean[prob.length];
            for (int i = 0; i < prob.length; i++)
                k[i] = FeatureOps.logit(prob[i], EPS) > FeatureOps.logit(rng.nextDouble(), EPS);
            return k;
        }

        @Override
        public String toString() { return "random(seed=" + seed + ")"; }
    }

    record Threshold(double t) implements Gate {
        public Threshold {
            if (!(t > 0 && t < 1)) throw new IllegalArgumentException("threshold must be in (0, 1), got " + t);
        }

        @Override
        public boolean[] keep(float[] prob) {
            double lt = FeatureOps.logit(t, EPS);
            boolean[] k = new boolean[prob.length];
            for (int i = 0; i < prob.length; i++) k[i] = FeatureOps.logit(prob[i], EPS) > lt;
            return k;
        }

        @Override
        public String toString() { return "threshold(" + t + ")"; }
    }
}
