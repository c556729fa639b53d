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
        check("relu", in -> Activations.relu(in.get(0)), paramAwayFromZero(22, 0.05f, 3, 5));
        check("leakyRelu", in -> Activations.leakyRelu(in.get(0), 0.1f), paramAwayFromZero(23, 0.05f, 3, 5));
        check("sigmoid", in -> Activations.sigmoid(in.get(0)), param(24, 3, 5));
        check("tanh", in -> Activations.tanh(in.get(0)), param(25, 3, 5));
        check("silu", in -> Activations.silu(in.get(0)), param(26, 3, 5));
        check("gelu", in -> Activations.gelu(in.get(0)), param(27, 3, 5));
        check("softplus", in -> Activations.softplus(in.get(0)), param(28, 3, 5));
    }
}
