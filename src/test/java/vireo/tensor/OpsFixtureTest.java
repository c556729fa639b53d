package vireo.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Forward values and gradients of the non-trivial ops against PyTorch (tools/fixtures/make_core_fixtures.py). */
class OpsFixtureTest {
    static final double ATOL = 1e-5, RTOL = 1e-4;

    private static void pointwise(String name, java.util.function.UnaryOperator<Tensor> op) {
        Fixture f = Fixture.load(name);
        Tensor x = f.leaf("x");
        Tensor y = op.apply(x);
        f.assertClose("y", y, ATOL, RTOL);
        f.backwardWith(y, "r");
        f.assertClose("d_x", x.grad, ATOL, RTOL);
    }

    @Test
    void geluExactErfForm() { pointwise("gelu", Activations::gelu); }

    @Test
    void softplusWithThreshold() { pointwise("softplus", Activations::softplus); }

    @Test
    void softmaxAndLogSoftmax() {
        pointwise("softmax", Ops::softmax);
        pointwise("log_softmax", Ops::logSoftmax);
    }

    @Test
    void groupNorm() {
        Fixture f = Fixture.load("group_norm");
        Tensor x = f.leaf("x"), w = f.leaf("w"), b = f.leaf("b");
        Tensor y = Norms.groupNorm(x, 2, w, b, 1e-5f);
        f.assertClose("y", y, ATOL, RTOL);
        f.backwardWith(y, "r");
        f.assertClose("d_x", x.grad, 1e-4, RTOL);
        f.assertClose("d_w", w.grad, ATOL, RTOL);
        f.assertClose("d_b", b.grad, ATOL, RTOL);
    }

    @Test
    void layerNorm() {
        Fixture f = Fixture.load("layer_norm");
        Tensor x = f.leaf("x"), w = f.leaf("w"), b = f.leaf("b");
        Tensor y = Norms.layerNorm(x, w, b, 1e-5f);
        f.assertClose("y", y, ATOL, RTOL);
        f.backwardWith(y, "r");
        f.assertClose("d_x", x.grad, 1e-4, RTOL);
        f.assertClose("d_w", w.grad, ATOL, RTOL);
        f.assertClose("d_b", b.grad, ATOL, RTOL);
    }

    @Test
    void rmsNorm() {
        Fixture f = Fixture.load("rms_norm");
        Tensor x = f.leaf("x"), w = f.leaf("w");
        Tensor y = Norms.rmsNorm(x, w, 1e-6f);
        f.assertClose("y", y, ATOL, RTOL);
        f.backwardWith(y, "r");
        f.assertClose("d_x", x.grad, 1e-4, RTOL);
        f.assertClose("d_w", w.grad, ATOL, RTOL);
    }

    @Test
    void causalDepthwiseConv1d() {
        Fixture f = Fixture.load("causal_conv1d");
        Tensor x = f.leaf("x"), w = f.leaf("w"), b = f.leaf("b");
        Tensor y = Conv.causalDepthwiseConv1d(x, w, b);
        f.assertClose("y", y, ATOL, RTOL);
        f.backwardWith(y, "r");
        f.assertClose("d_x", x.grad, ATOL, RTOL);
        f.assertClose("d_w", w.grad, ATOL, RTOL);
        f.assertClose("d_b", b.grad, ATOL, RTOL);
    }

    @Test
    void crossEntropy() {
        Fixture f = Fixture.load("cross_entropy");
        Tensor z = f.leaf("logits");
        Tensor loss = Losses.crossEntropy(z, f.intValues("targets"));
        assertEquals(f.get("loss").item(), loss.item(), 1e-5);
        loss.backward();
        f.assertClose("d_logits", z.grad, 1e-6, RTOL);
    }

    @Test
    void klDivergenceFromLogProbabilities() {
        Fixture f = Fixture.load("kl_divergence");
        Tensor zp = f.leaf("zp"), zq = f.leaf("zq");
        Tensor loss = Losses.klDivergence(Ops.logSoftmax(zp), Ops.logSoftmax(zq));
        assertEquals(f.get("loss").item(), loss.item(), 1e-5);
        loss.backward();
        f.assertClose("d_zp", zp.grad, 1e-6, RTOL);
        f.assertClose("d_zq", zq.grad, 1e-6, RTOL);
    }

    @Test
    void binaryCrossEntropyWithLogits() {
        Fixture f = Fixture.load("bce_with_logits");
        Tensor z = f.leaf("z");
        Tensor loss = Losses.binaryCrossEntropyWithLogits(z, f.get("y"));
        assertEquals(f.get("loss").item(), loss.item(), 1e-5);
        loss.backward();
        f.assertClose("d_z", z.grad, 1e-6, RTOL);
    }
}
