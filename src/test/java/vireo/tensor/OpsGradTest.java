package vireo.tensor;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static vireo.tensor.GradCheck.check;
import static vireo.tensor.GradCheck.param;

/** Finite-difference checks of every op in Ops, Norms (beyond batchNorm), Losses and the causal conv. */
class OpsGradTest {
    @Test
    void broadcastBinaryOps() {
        check("add", in -> Ops.add(in.get(0), in.get(1)), param(1, 2, 3, 4), param(2, 3, 1));
        check("sub", in -> Ops.sub(in.get(0), in.get(1)), param(3, 4), param(4, 2, 3, 4));
        check("mul", in -> Ops.mul(in.get(0), in.get(1)), param(5, 2, 1, 4), param(6, 3, 1));
        Tensor denom = param(8, 1, 3, 1);
        for (int i = 0; i < denom.size(); i++) denom.data[i] = 1.5f + denom.data[i] * 0.5f;
        check("div", in -> Ops.div(in.get(0), in.get(1)), param(7, 2, 3, 2), denom);
        check("same-shape mul", in -> Ops.mul(in.get(0), in.get(1)), param(9, 3, 3), param(10, 3, 3));
        check("same-shape add", in -> Ops.add(in.get(0), in.get(1)), param(64, 2, 3), param(65, 2, 3));
        check("same-shape sub", in -> Ops.sub(in.get(0), in.get(1)), param(66, 2, 3), param(67, 2, 3));
        Tensor den = param(69, 2, 3);
        for (int i = 0; i < den.size(); i++) den.data[i] = 1.5f + 0.5f * den.data[i];
        check("same-shape div", in -> Ops.div(in.get(0), in.get(1)), param(68, 2, 3), den);
        Tensor x = param(70, 4);
        check("x * x (one tensor, both operands)", in -> Ops.mul(in.get(0), in.get(0)), x);
        check("scalar ops", in -> Ops.div(Ops.mul(Ops.sub(Ops.add(in.get(0), 2f), 0.5f), 3f), 4f), param(11, 5));
    }

    @Property(tries = 25, seed = "42")
    void broadcastingMatchesScalarLoopsAndGradients(@ForAll @IntRange(min = 1, max = 3) int a, @ForAll @IntRange(min = 1, max = 3) int b,
                                                    @ForAll @IntRange(min = 1, max = 3) int c, @ForAll boolean dropA, @ForAll boolean dropC) {
        Tensor x = param(a * 100 + b * 10 + c, a, b, c);
        Tensor y = param(7, dropA ? 1 : a, 1, dropC ? 1 : c);
        Tensor z = Ops.mul(x, y);
        assertArrayEquals(new int[]{a, b, c}, z.shape);
        for (int i = 0; i < a; i++) for (int j = 0; j < b; j++) for (int k = 0; k < c; k++)
            assertEquals(x.data[(i * b + j) * c + k] * y.data[(dropA ? 0 : i) * (dropC ? 1 : c) + (dropC ? 0 : k)], z.data[(i * b + j) * c + k], 0f);
        check("broadcast mul", in -> Ops.mul(in.get(0), in.get(1)), x, y);
    }

    @Test
    void incompatibleShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Ops.add(Tensor.zeros(2, 3), Tensor.zeros(4)));
    }

    @Test
    void pointwiseMath() {
        check("neg", in -> Ops.neg(in.get(0)), param(12, 4));
        check("exp", in -> Ops.exp(in.get(0)), param(13, 4));
        Tensor pos = param(14, 5);
        for (int i = 0; i < pos.size(); i++) pos.data[i] = 1.2f + pos.data[i];
        check("log", in -> Ops.log(in.get(0)), pos);
        check("sqrt", in -> Ops.sqrt(in.get(0)), pos);
        check("pow", in -> Ops.pow(in.get(0), 2.5f), pos);
        check("abs", in -> Ops.abs(in.get(0)), GradCheck.paramAwayFromZero(15, 0.05f, 5));
    }

    @Test
    void reductions() {
        check("sum", in -> Ops.sum(in.get(0)), param(16, 2, 3));
        check("mean", in -> Ops.mean(in.get(0)), param(17, 2, 3));
        check("sum axis", in -> Ops.sum(in.get(0), 1, false), param(18, 2, 3, 4));
        check("mean axis keepdim", in -> Ops.mean(in.get(0), -1, true), param(19, 2, 3, 4));
        check("max axis", in -> Ops.max(in.get(0), 0, false), param(20, 3, 4));
        Tensor s = Ops.sum(param(21, 2, 3, 4), 1, true);
        assertArrayEquals(new int[]{2, 1, 4}, s.shape);
    }

    @Test
    void softmaxes() {
        check("softmax", in -> Ops.softmax(in.get(0)), param(22, 3, 5));
        check("logSoftmax", in -> Ops.logSoftmax(in.get(0)), param(23, 3, 5));
        Tensor p = Ops.softmax(Tensor.of(new float[]{1000f, 1000f}, 2));
        assertEquals(0.5f, p.data[0], 1e-6f);
    }

    @Test
    void matmulsAndLinear() {
        check("matmul shared B", in -> Ops.matmul(in.get(0), in.get(1)), param(24, 2, 3, 4), param(25, 4, 5));
        check("bmm", in -> Ops.matmul(in.get(0), in.get(1)), param(26, 2, 3, 4), param(27, 2, 4, 2));
        check("linear", in -> Ops.linear(in.get(0), in.get(1), in.get(2)), param(28, 2, 3, 4), param(29, 5, 4), param(30, 5));
        // big enough to take the row-blocked parallel path (and the transposed weight-gradient product)
        GradCheck.checkSome("linear large", in -> Ops.linear(in.get(0), in.get(1), in.get(2)), 12, 0.05, 2e-3, 1e-2,
                param(59, 70, 180), param(60, 170, 180), param(61, 170));
        GradCheck.checkSome("matmul large", in -> Ops.matmul(in.get(0), in.get(1)), 12, 0.05, 2e-3, 1e-2, param(62, 70, 180), param(63, 180, 170));
        Tensor a = Tensor.of(new float[]{1, 2, 3, 4}, 2, 2), b = Tensor.of(new float[]{5, 6, 7, 8}, 2, 2);
        assertArrayEquals(new float[]{19, 22, 43, 50}, Ops.matmul(a, b).data);
    }

    @Test
    void shapeOps() {
        check("permute", in -> Ops.permute(in.get(0), 2, 0, 1), param(31, 2, 3, 4));
        check("slice", in -> Ops.slice(in.get(0), 1, 1, 3), param(32, 2, 4, 3));
        check("concat", in -> Ops.concat(1, in.get(0), in.get(1)), param(33, 2, 1, 3), param(34, 2, 2, 3));
        check("reshape", in -> in.get(0).reshape(6, 2), param(35, 3, 4));
        check("embedding", in -> Ops.embedding(in.get(0), new int[]{2, 0, 2}), param(36, 4, 3));
        Tensor p = Ops.permute(Tensor.of(new float[]{0, 1, 2, 3, 4, 5}, 2, 3), 1, 0);
        assertArrayEquals(new float[]{0, 3, 1, 4, 2, 5}, p.data);
    }

    @Test
    void norms() {
        check("layerNorm", in -> Norms.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5f), param(37, 3, 5), param(38, 5), param(39, 5));
        check("groupNorm", in -> Norms.groupNorm(in.get(0), 2, in.get(1), in.get(2), 1e-5f), param(40, 2, 4, 3), param(41, 4), param(42, 4));
        check("rmsNorm", in -> Norms.rmsNorm(in.get(0), in.get(1), 1e-6f), param(43, 3, 4), param(44, 4));
        check("layerNorm no affine", in -> Norms.layerNorm(in.get(0), null, null, 1e-5f), param(54, 2, 6));
        check("groupNorm bias only", in -> Norms.groupNorm(in.get(0), 3, null, in.get(1), 1e-5f), param(55, 1, 6, 2, 2), param(56, 6));
        check("batchNorm no affine", in -> Norms.batchNorm(in.get(0), null, null, null, null, true), param(57, 3, 2, 4));
        check("rmsNorm no weight", in -> Norms.rmsNorm(in.get(0), null, 1e-6f), param(58, 2, 5));
    }

    @Test
    void causalConv1d() {
        check("causalDepthwiseConv1d", in -> Conv.causalDepthwiseConv1d(in.get(0), in.get(1), in.get(2)),
                param(45, 2, 3, 6), param(46, 3, 1, 4), param(47, 3));
    }

    @Test
    void losses() {
        check("crossEntropy", in -> Losses.crossEntropy(in.get(0), new int[]{1, 4, 0}), param(48, 3, 5));
        check("kl", in -> Losses.klDivergence(Ops.logSoftmax(in.get(0)), Ops.logSoftmax(in.get(1))), param(49, 3, 5), param(50, 3, 5));
        check("l1", in -> Losses.l1(in.get(0), in.get(1)), GradCheck.paramAwayFromZero(51, 0.05f, 6), Tensor.full(0.0f, 6).requiresGrad(true));
        check("mse", in -> Losses.mse(in.get(0), in.get(1)), param(52, 6), param(53, 6));
        Tensor y = param(71, 2, 3);
        for (int i = 0; i < y.size(); i++) y.data[i] = 0.5f + 0.5f * y.data[i];
        check("bceWithLogits", in -> Losses.binaryCrossEntropyWithLogits(in.get(0), y.detach()), param(72, 2, 3));
    }
}
