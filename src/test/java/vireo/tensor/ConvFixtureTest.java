package vireo.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Forward values and gradients against PyTorch (tools/fixtures/make_core_fixtures.py). */
class ConvFixtureTest {
    static final double ATOL = 1e-4, RTOL = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"conv3d_basic", "conv3d_strided", "conv3d_dilated"})
    void conv3dMatchesTorch(String name) {
        Fixture f = Fixture.load(name);
        Tensor x = f.leaf("x"), w = f.leaf("w"), b = f.leaf("b");
        Tensor y = Conv.conv3d(x, w, b, f.ints("stride"), f.ints("padding"), f.ints("dilation"));
        f.assertClose("y", y, ATOL, RTOL);
        f.backwardWith(y, "r");
        f.assertClose("d_x", x.grad, ATOL, RTOL);
        f.assertClose("d_w", w.grad, ATOL, RTOL);
        f.assertClose("d_b", b.grad, ATOL, RTOL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv_transpose3d_bcae", "conv_transpose3d_odd"})
    void convTranspose3dMatchesTorch(String name) {
        Fixture f = Fixture.load(name);
        Tensor x = f.leaf("x"), w = f.leaf("w"), b = f.leaf("b");
        Tensor y = Conv.convTranspose3d(x, w, b, f.ints("stride"), f.ints("padding"), f.ints("output_padding"), f.ints("dilation"));
        f.assertClose("y", y, ATOL, RTOL);
        f.backwardWith(y, "r");
        f.assertClose("d_x", x.grad, ATOL, RTOL);
        f.assertClose("d_w", w.grad, ATOL, RTOL);
        f.assertClose("d_b", b.grad, ATOL, RTOL);
    }

    @Test
    void reflectionPadMatchesTorch() {
        Fixture f = Fixture.load("reflection_pad3d");
        Tensor x = f.leaf("x");
        Tensor y = Conv.reflectionPad3d(x, f.ints("pad"));
        f.assertClose("y", y, 0, 0);
        f.backwardWith(y, "r");
        f.assertClose("d_x", x.grad, 1e-5, 1e-5);
    }

    @Test
    void batchNorm3dTrainRunningStatsAndEvalMatchTorch() {
        Fixture f = Fixture.load("batchnorm3d");
        Tensor w = f.leaf("w"), b = f.leaf("b");
        Tensor rm = Tensor.zeros(3), rv = Tensor.full(1f, 3);
        Tensor y1 = Norms.batchNorm(f.get("x1"), w, b, rm, rv, true);
        f.assertClose("y1", y1, ATOL, RTOL);
        Tensor x2 = f.leaf("x2");
        Tensor y2 = Norms.batchNorm(x2, w, b, rm, rv, true);
        f.assertClose("y2", y2, ATOL, RTOL);
        f.backwardWith(y2, "r2");
        f.assertClose("d_x2", x2.grad, ATOL, RTOL);
        f.assertClose("d_w_train", w.grad, ATOL, RTOL);
        f.assertClose("d_b_train", b.grad, ATOL, RTOL);
        f.assertClose("running_mean", rm, 1e-6, 1e-5);
        f.assertClose("running_var", rv, 1e-6, 1e-5);
        Tensor x3 = f.leaf("x3");
        Tensor y3 = Norms.batchNorm(x3, w, b, rm, rv, false);
        f.assertClose("y3", y3, ATOL, RTOL);
        f.backwardWith(y3, "r3");
        f.assertClose("d_x3", x3.grad, ATOL, RTOL);
    }
}
