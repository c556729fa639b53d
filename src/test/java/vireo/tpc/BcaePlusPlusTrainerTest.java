package vireo.tpc;

import org.junit.jupiter.api.Test;
import vireo.tensor.Tensor;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BcaePlusPlusTrainerTest {
    @Test
    void aFewStepsLowerTheLossOnASmallCrop() {
        Wedge w = new Simulator().simulate(0.1, 3).wedge();
        Tensor x = BcaePlusPlusTrainer.crop(BcaePlusPlus.input(w), 64, 96, 32, 32);
        BcaePlusPlusTrainer t = new BcaePlusPlusTrainer(new BcaePlusPlus(5), 32, 32, 3e-3, 1);
        BcaePlusPlusTrainer.StepStats first = t.stepOn(List.of(x)), last = first;
        for (int i = 0; i < 11; i++) last = t.stepOn(List.of(x));
        // both terms, unweighted, must fall (the self-adjusting weight moves, so the weighted total is not comparable)
        assertTrue(last.regLoss() < 0.9 * first.regLoss(), "L1 " + first.regLoss() + " -> " + last.regLoss());
        assertTrue(last.clfLoss() < first.clfLoss(), "focal " + first.clfLoss() + " -> " + last.clfLoss());
    }
}
