package vireo.tensor;

import org.junit.jupiter.api.Test;

import static vireo.tensor.GradCheck.check;
import static vireo.tensor.GradCheck.param;
import static vireo.tensor.GradCheck.paramAwayFromZero;

class ConvGradTest {
    @Test
    void conv3dStrideOneSamePadding() {
        check("conv3d", in -> Conv.conv3d(in.get(0), in.get(1), in.get(2), 1, 1, 1),
                param(1, 2, 2, 3, 4, 3), param(2, 3, 2, 3, 3, 3), param(3, 3));
    }

    @Test
    void conv3dStridedDilatedUnevenPadding() {
        check("conv3d strided", in -> Conv.conv3d(in.get(0), in.get(1), in.get(2), new int[]{2, 1, 2}, new int[]{1, 2, 0}, new int[]{1, 2, 1}),
                param(4, 1, 2, 5, 4, 6), param(5, 2, 2, 2, 3, 3), param(6, 2));
    }

    @Test
    void conv3dWithoutBias() {
        check("conv3d no bias", in -> Conv.conv3d(in.get(0), in.get(1), null, new int[]{1, 2, 1}, new int[]{0, 1, 1}, new int[]{2, 1, 1}),
                param(7, 2, 1, 6, 5, 3), param(8, 2, 1, 2, 2, 2));
    }

    @Test
    void convTranspose3d() {
        check("convTranspose3d", in -> Conv.convTranspose3d(in.get(0), in.get(1), in.get(2), new int[]{1, 2, 2}, new int[]{1, 1, 1}),
                param(9, 1, 2, 3, 3, 2), param(10, 2, 3, 3, 4, 4), param(11, 3));
    }

    @Test
    void convTranspose3dOutputPaddingDilation() {
        check("convTranspose3d outpad", in -> Conv.convTranspose3d(in.get(0), in.get(1), in.get(2), new int[]{2, 1, 3},
                        new int[]{0, 1, 1}, new int[]{1, 0, 2}, new int[]{1, 2, 1}),
                param(12, 2, 2, 2, 3, 2), param(13, 2, 1, 2, 2, 3), param(14, 1));
    }

    @Test
    void reflectionPad3d() {
        check("reflectionPad3d", in -> Conv.reflectionPad3d(in.get(0), new int[]{1, 2, 2, 0, 1, 1}), param(15, 1, 2, 3, 3, 3));
    }

    @Test
    void batchNormTrainingAndEval() {
        Tensor rm = Tensor.zeros(3), rv = Tensor.full(1f, 3);
        check("batchNorm train", in -> Norms.batchNorm(in.get(0), in.get(1), in.get(2), null, null, true),
                param(16, 2, 3, 2, 2, 2), param(17, 3), param(18, 3));
        check("batchNorm eval", in -> Norms.batchNorm(in.get(0), in.get(1), in.get(2), rm, rv, false),
                param(19, 2, 3, 2, 1, 2), param(20, 3), param(21, 3));
    }

    @Test
    void activations() {
        // 35 values: the first 32 go through the vector loop (16 or 8 lanes), the rest through the scalar tail
        check("relu", in -> Activations.relu(in.get(0)), paramAwayFromZero(22, 0.05f, 5, 7));
        check("leakyRelu", in -> Activations.leakyRelu(in.get(0), 0.1f), paramAwayFromZero(23, 0.05f, 5, 7));
        check("sigmoid", in -> Activations.sigmoid(in.get(0)), param(24, 5, 7));
        check("tanh", in -> Activations.tanh(in.get(0)), param(25, 5, 7));
        check("silu", in -> Activations.silu(in.get(0)), param(26, 5, 7));
        check("gelu", in -> Activations.gelu(in.get(0)), param(27, 3, 5));
        check("softplus", in -> Activations.softplus(in.get(0)), param(28, 3, 5));
    }

    /** Large inputs run the threaded, vectorised blocks; values and gradients must follow the scalar formulas. */
    @Test
    void vectorisedActivationsMatchScalarFormulasOnLargeInputs() {
        Tensor x = Tensor.randn(new java.util.SplittableRandom(5), 4f, 100_003).requiresGrad(true);
        java.util.function.DoubleUnaryOperator sig = v -> 1 / (1 + Math.exp(-v));
        record Case(java.util.function.UnaryOperator<Tensor> op, java.util.function.DoubleUnaryOperator f, java.util.function.DoubleUnaryOperator df) {}
        java.util.List<Case> cases = java.util.List.of(
                new Case(Activations::relu, v -> Math.max(0, v), v -> v > 0 ? 1 : 0),
                new Case(t -> Activations.leakyRelu(t, 0.1f), v -> v > 0 ? v : 0.1 * v, v -> v > 0 ? 1 : 0.1),
                new Case(Activations::sigmoid, sig, v -> sig.applyAsDouble(v) * (1 - sig.applyAsDouble(v))),
                new Case(Activations::tanh, Math::tanh, v -> 1 - Math.tanh(v) * Math.tanh(v)),
                new Case(Activations::silu, v -> v * sig.applyAsDouble(v),
                        v -> sig.applyAsDouble(v) * (1 + v * (1 - sig.applyAsDouble(v)))));
        for (Case c : cases) {
            x.zeroGrad();
            Tensor y = c.op().apply(x);
            Ops.sum(y).backward();
            for (int i = 0; i < x.size(); i++) {
                double v = x.data[i], f = c.f().applyAsDouble(v), df = c.df().applyAsDouble(v);
                org.junit.jupiter.api.Assertions.assertEquals(f, y.data[i], 1e-6 + 1e-6 * Math.abs(f), "value at " + i);
                org.junit.jupiter.api.Assertions.assertEquals(df, x.grad[i], 1e-6 + 1e-5 * Math.abs(df), "gradient at " + i);
            }
        }
    }

    @Test
    void reflectPaddedConvEqualsPadThenConv() {
        Tensor x = param(30, 1, 2, 4, 3, 3), w = param(31, 2, 2, 3, 3, 3), b = param(32, 2);
        Tensor a = Conv.conv3dReflect(x, w, b, 1, 1, 1), c = Conv.conv3d(Conv.reflectionPad3d(x, 1), w, b, 1, 0, 1);
        org.junit.jupiter.api.Assertions.assertArrayEquals(c.data, a.data);
        check("conv3dReflect", in -> Conv.conv3dReflect(in.get(0), in.get(1), in.get(2), 1, 1, 1), x, w, b);
    }

    /** The threaded, tiled, phased path must equal a single-threaded run bit for bit on a multi-tile volume. */
    @Test
    void threadCountDoesNotChangeResults() {
        Tensor x = param(33, 2, 3, 7, 40, 9), w = param(34, 4, 3, 3, 3, 3), b = param(35, 4);
        int before = Parallel.threads();
        float[][] runs = new float[2][];
        float[][] grads = new float[2][];
        try {
            for (int r = 0; r < 2; r++) {
                Parallel.setThreads(r == 0 ? 1 : 3);
                x.zeroGrad();
                w.zeroGrad();
                Tensor y = Conv.conv3d(x, w, b, new int[]{1, 1, 1}, new int[]{1, 1, 1}, new int[]{1, 2, 1});
                runs[r] = y.data;
                Tensor t = Conv.convTranspose3d(y, Tensor.zeros(4, 2, 3, 4, 4).requiresGrad(true), null, new int[]{1, 2, 2}, new int[]{1, 1, 1});
                Ops.sum(Ops.mul(t, t)).backward();
                Ops.sum(Ops.mul(y, y)).backward();
                grads[r] = concat(x.grad, w.grad);
            }
        } finally {
            Parallel.setThreads(before);
        }
        // Same summation order for any thread count; only the JIT may differ between the two runs (a vector lane
        // reduction compiled vs interpreted adds in another order), so allow a few ulps, not exact bits.
        for (int r = 0; r < runs[0].length; r++) org.junit.jupiter.api.Assertions.assertEquals(runs[0][r], runs[1][r], 1e-5f * (1 + Math.abs(runs[0][r])));
        for (int g = 0; g < grads[0].length; g++) org.junit.jupiter.api.Assertions.assertEquals(grads[0][g], grads[1][g], 1e-5f * (1 + Math.abs(grads[0][g])));
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
