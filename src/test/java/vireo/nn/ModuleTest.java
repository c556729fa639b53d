package vireo.nn;

import org.junit.jupiter.api.Test;
import vireo.tensor.Activations;
import vireo.tensor.Conv;
import vireo.tensor.DType;
import vireo.tensor.Losses;
import vireo.tensor.Tensor;
import vireo.tensor.TensorView;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleTest {
    /** One BCAE-VS decoder block as PyTorch writes it: Sequential(ReflectionPad3d(1), Conv3d, BatchNorm3d, LeakyReLU). */
    static Sequential block(int in, int out, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(Module.of(x -> Conv.reflectionPad3d(x, 1)), new Conv3d(in, out, 3, 0, true, rng),
                new BatchNorm3d(out), Module.of(x -> Activations.leakyRelu(x, 0.1f)));
    }

    @Test
    void stateDictUsesPyTorchNamesAndOrder() {
        Sequential net = new Sequential(block(1, 2, 1), block(2, 2, 2));
        assertEquals(List.of("0.1.weight", "0.1.bias", "0.2.weight", "0.2.bias", "0.2.running_mean", "0.2.running_var",
                "0.2.num_batches_tracked", "1.1.weight", "1.1.bias", "1.2.weight", "1.2.bias", "1.2.running_mean",
                "1.2.running_var", "1.2.num_batches_tracked"), List.copyOf(net.stateDict().keySet()));
        assertEquals(8, net.namedParameters().size());
        assertEquals(6, net.namedBuffers().size());
        assertArrayEquals(new int[]{2, 1, 3, 3, 3}, net.namedParameters().get("0.1.weight").shape);
    }

    @Test
    void loadStateCopiesValuesAndRejectsMismatches() {
        Sequential a = block(1, 2, 1), b = block(1, 2, 99);
        Map<String, TensorView> state = new LinkedHashMap<>();
        a.stateDict().forEach((k, t) -> state.put(k, new TensorView(DType.F32, t.shape, MemorySegment.ofArray(t.data.clone()))));
        b.loadState(state, true);
        a.stateDict().forEach((k, t) -> assertArrayEquals(t.data, b.stateDict().get(k).data, k));
        state.put("extra", state.get("1.bias"));
        assertThrows(IllegalArgumentException.class, () -> b.loadState(state, true));
        b.loadState(state, false);
        state.put("1.bias", new TensorView(DType.F32, new int[]{3}, MemorySegment.ofArray(new float[3])));
        assertThrows(IllegalArgumentException.class, () -> b.loadState(state, false));
    }

    @Test
    void batchNormModuleTracksBatchesOnlyInTraining() {
        BatchNorm3d bn = new BatchNorm3d(2);
        Tensor x = Tensor.randn(new SplittableRandom(3), 1f, 2, 2, 2, 2, 2);
        for (int i = 0; i < x.size(); i++) x.data[i] += 3f;
        bn.forward(x);
        assertEquals(1f, bn.numBatchesTracked.item());
        assertTrue(bn.runningMean.data[0] > 0.2f && bn.runningMean.data[0] < 0.4f, "running mean moved by momentum 0.1 toward ~3");
        float before = bn.runningMean.data[0];
        bn.train(false).forward(x);
        assertEquals(1f, bn.numBatchesTracked.item());
        assertEquals(before, bn.runningMean.data[0]);
    }

    @Test
    void aTinyDecoderLearnsWithAdamW() {
        Sequential net = new Sequential(block(1, 4, 5), new Conv3d(4, 1, 1, 0, true, new SplittableRandom(6)));
        Tensor x = Tensor.randn(new SplittableRandom(7), 1f, 2, 1, 4, 5, 3);
        Tensor target = Activations.tanh(x).detach();
        AdamW opt = new AdamW(net.parameters(), 1e-2);
        float first = 0, last = 0;
        for (int step = 0; step < 60; step++) {
            opt.zeroGrad();
            Tensor loss = Losses.mse(net.forward(x), target);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(last < 0.3f * first, "loss " + first + " -> " + last);
    }

    @Test
    void linearModule() {
        Linear l = new Linear(3, 2, true, new SplittableRandom(1));
        for (float w : l.weight.data) assertTrue(Math.abs(w) <= 1 / Math.sqrt(3));
        Tensor y = l.forward(Tensor.of(new float[]{1, 0, 0}, 1, 3));
        assertEquals(l.weight.data[0] + l.bias.data[0], y.data[0], 1e-7f);
        assertEquals(List.of("weight", "bias"), List.copyOf(l.namedParameters().keySet()));
    }
}
