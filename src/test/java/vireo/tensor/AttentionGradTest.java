package vireo.tensor;

import org.junit.jupiter.api.Test;

import static vireo.tensor.GradCheck.check;
import static vireo.tensor.GradCheck.param;

/** Finite-difference checks of the transformer sequence ops and the masked cross-entropy. */
class AttentionGradTest {
    @Test
    void rmsNorm() {
        check("rmsNorm", in -> Attention.rmsNorm(in.get(0), in.get(1), 1e-5f), param(1, 3, 8), param(2, 8));
    }

    @Test
    void ropeBothPairings() {
        float[][] t = Attention.ropeTables(4, new double[]{1.0, 0.1});
        for (boolean interleaved : new boolean[]{true, false})
            check("rope interleaved=" + interleaved, in -> Attention.rope(in.get(0), 2, 4, t[0], t[1], interleaved), param(3, 8, 8));
    }

    @Test
    void causalGroupedQueryAttention() {
        // batch 2, 3 positions, 4 query heads over 2 key/value heads of size 2
        check("causal attention", in -> Attention.causal(in.get(0), in.get(1), in.get(2), 2, 3, 4, 2),
                param(4, 6, 8), param(5, 6, 4), param(6, 6, 4));
    }

    @Test
    void maskedCrossEntropy() {
        check("maskedCrossEntropy", in -> Losses.maskedCrossEntropy(in.get(0), new int[]{2, -1, 0, 4}), param(7, 4, 5));
    }
}
