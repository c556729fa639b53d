package vireo.lm;

/**
 * Reads or rewrites one activation at one hook point and one token position. {@code x} is the live vector
 * (length d_model for residual points, the state part's size for state points); change it in place to intervene.
 */
@FunctionalInterface
public interface Hook {
    void apply(int position, float[] x);
}
