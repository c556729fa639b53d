package vireo.lens;

/**
 * A lens maps the hidden state at a lensed point (index 0 = blocks.0.resid_pre, index i = blocks.(i-1).resid_post)
 * to next-token logits through the model's frozen final norm and unembedding.
 */
public interface Lens {
    /** Number of lensed points (layers + 1). */
    int points();

    /** Logits of hidden state h at lensed point i. */
    float[] logits(int point, float[] h);

    /** Short name for reports: "logit" or "tuned". */
    String name();
}
