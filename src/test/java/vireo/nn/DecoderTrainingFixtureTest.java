package vireo.nn;

import org.junit.jupiter.api.Test;
import vireo.tensor.Activations;
import vireo.tensor.Conv;
import vireo.tensor.DType;
import vireo.tensor.Fixture;
import vireo.tensor.Losses;
import vireo.tensor.Tensor;
import vireo.tensor.TensorView;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * End to end against PyTorch: a tiny BCAE-VS-style decoder (ReflectionPad3d → Conv3d → BatchNorm3d → LeakyReLU →
 * 1×1×1 Conv3d; the first conv without bias, whose gradient before batch norm is pure float noise) trained two AdamW steps on an L1 loss; losses, every updated parameter, the running statistics
 * and an eval-mode forward must match torch.
 */
class DecoderTrainingFixtureTest {
    @Test
    void twoAdamWStepsMatchTorch() {
        Fixture f = Fixture.load("decoder_train");
        SplittableRandom rng = new SplittableRandom(0);
        Sequential net = new Sequential(Module.of(x -> Conv.reflectionPad3d(x, 1)), new Conv3d(1, 3, 3, 0, false, rng),
                new BatchNorm3d(3), Module.of(x -> Activations.leakyRelu(x, 0.1f)), new Conv3d(3, 1, 1, 0, true, rng));
        Map<String, TensorView> init = new HashMap<>();
        f.tensors().forEach((k, t) -> {
            if (k.startsWith("init.")) init.put(k.substring(5), new TensorView(DType.F32, t.shape, MemorySegment.ofArray(t.data.clone())));
        });
        init.put("2.num_batches_tracked", new TensorView(DType.F32, new int[0], MemorySegment.ofArray(new float[1])));
        net.loadState(init, true);

        AdamW opt = new AdamW(net.parameters(), 1e-2, 0.9, 0.999, 1e-8, 0.01);
        Tensor x = f.get("x"), target = f.get("target");
        for (int step = 0; step < 2; step++) {
            opt.zeroGrad();
            Tensor loss = Losses.l1(net.forward(x), target);
            loss.backward();
            opt.step();
            assertEquals(f.params().get("losses").get(step).asDouble(), loss.item(), 2e-6, "loss at step " + step);
        }
        net.stateDict().forEach((k, t) -> {
            if (!k.endsWith("num_batches_tracked")) f.assertClose("final." + k, t, 2e-5, 1e-4);
        });
        assertEquals(2f, ((BatchNorm3d) net.get(2)).numBatchesTracked.item());
        net.train(false);
        f.assertClose("y_eval", Tensor.noGrad(() -> net.forward(x)), 2e-5, 1e-4);
    }
}
