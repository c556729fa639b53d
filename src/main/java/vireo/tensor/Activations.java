package vireo.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pointwise nonlinearities. Each one is a forward formula and its derivative, written side by side; the derivative
 * may use the input x or the output y, whichever is cheaper (sigmoid' = y(1−y)).
 */
public final class Activations {
    private Activations() {}

    /** A pointwise function's derivative, given its input and output. */
    @FunctionalInterface
    interface Derivative { float at(float x, float y); }

    /** Runs f over x in blocks (parallel when large) and records dL/dx = dL/dy · f'(x, y). */
    static Tensor pointwise(Tensor x, String name, java.util.function.DoubleUnaryOperator f, Derivative df) {
        Tensor out = Tensor.zeros(x.shape);
        float[] xs = x.data, ys = out.data;
        Blocks.run(xs.length, (lo, hi) -> {
            for (int i = lo; i < hi; i++) ys[i] = (float) f.applyAsDouble(xs[i]);
        });
        return Tensor.record(out, name, () -> {
            float[] dx = x.gradBuffer(), dy = out.grad;
            Blocks.run(xs.length, (lo, hi) -> {
                for (int i = lo; i < hi; i++) dx[i] += dy[i] * df.at(xs[i], ys[i]);
            });
        }, x);
    }

    // The hot activations (BCAE decoders run them on 12M values per layer) get explicit Vector API loops; the
    // scalar tail of each block repeats the same formula.

    public static Tensor relu(Tensor x) { return leakyRelu(x, 0f, "relu"); }

    /** max(0,x) + slope·min(0,x), as nn.LeakyReLU(slope); the gradient at 0 is slope, like PyTorch. */
    public static Tensor leakyRelu(Tensor x, float slope) { return leakyRelu(x, slope, "leakyRelu"); }

    private static Tensor leakyRelu(Tensor x, float slope, String name) {
        Tensor out = Tensor.zeros(x.shape);
        float[] xs = x.data, ys = out.data;
        Blocks.run(xs.length, (lo, hi) -> {
            int i = lo;
            for (; i + L <= hi; i += L) {
                FloatVector v = FloatVector.fromArray(S, xs, i);
                v.blend(v.mul(slope), v.compare(VectorOperators.LE, 0f)).intoArray(ys, i);
            }
            for (; i < hi; i++) ys[i] = xs[i] > 0 ? xs[i] : slope * xs[i];
        });
        return Tensor.record(out, name, () -> {
            float[] dx = x.gradBuffer(), dy = out.grad;
            Blocks.run(xs.length, (lo, hi) -> {
                int i = lo;
                for (; i + L <= hi; i += L) {
                    FloatVector g = FloatVector.fromArray(S, dy, i);
                    g.blend(g.mul(slope), FloatVector.fromArray(S, xs, i).compare(VectorOperators.LE, 0f))
                            .add(FloatVector.fromArray(S, dx, i)).intoArray(dx, i);
                }
                for (; i < hi; i++) dx[i] += xs[i] > 0 ? dy[i] : slope * dy[i];
            });
        }, x);
    }

    /** 1 / (1 + e⁻ˣ); dσ/dx = σ(1 − σ). */
    public static Tensor sigmoid(Tensor x) {
        Tensor out = Tensor.zeros(x.shape);
        float[] xs = x.data, ys = out.data;
        Blocks.run(xs.length, (lo, hi) -> {
            int i = lo;
            for (; i + L <= hi; i += L) sigmoid(FloatVector.fromArray(S, xs, i)).intoArray(ys, i);
            for (; i < hi; i++) ys[i] = (float) sigmoid(xs[i]);
        });
        return Tensor.record(out, "sigmoid", () -> {
            float[] dx = x.gradBuffer(), dy = out.grad;
            Blocks.run(xs.length, (lo, hi) -> {
                int i = lo;
                for (; i + L <= hi; i += L) {
                    FloatVector y = FloatVector.fromArray(S, ys, i);
                    FloatVector.fromArray(S, dy, i).mul(y).mul(y.neg().add(1f)).add(FloatVector.fromArray(S, dx, i)).intoArray(dx, i);
                }
                for (; i < hi; i++) dx[i] += dy[i] * ys[i] * (1f - ys[i]);
            });
        }, x);
    }

    /** tanh; d/dx = 1 − y². */
    public static Tensor tanh(Tensor x) {
        Tensor out = Tensor.zeros(x.shape);
        float[] xs = x.data, ys = out.data;
        Blocks.run(xs.length, (lo, hi) -> {
            int i = lo;
            for (; i + L <= hi; i += L) FloatVector.fromArray(S, xs, i).lanewise(VectorOperators.TANH).intoArray(ys, i);
            for (; i < hi; i++) ys[i] = (float) Math.tanh(xs[i]);
        });
        return Tensor.record(out, "tanh", () -> {
            float[] dx = x.gradBuffer(), dy = out.grad;
            Blocks.run(xs.length, (lo, hi) -> {
                int i = lo;
                for (; i + L <= hi; i += L) {
                    FloatVector y = FloatVector.fromArray(S, ys, i);
                    FloatVector.fromArray(S, dy, i).mul(y.mul(y).neg().add(1f)).add(FloatVector.fromArray(S, dx, i)).intoArray(dx, i);
                }
                for (; i < hi; i++) dx[i] += dy[i] * (1f - ys[i] * ys[i]);
            });
        }, x);
    }

    /** x·σ(x) (SiLU / swish, Llama's MLP gate and Mamba's); d/dx = σ(1 + x(1 − σ)). */
    public static Tensor silu(Tensor x) {
        Tensor out = Tensor.zeros(x.shape);
        float[] xs = x.data, ys = out.data;
        Blocks.run(xs.length, (lo, hi) -> {
            int i = lo;
            for (; i + L <= hi; i += L) {
                FloatVector v = FloatVector.fromArray(S, xs, i);
                v.mul(sigmoid(v)).intoArray(ys, i);
            }
            for (; i < hi; i++) ys[i] = (float) (xs[i] * sigmoid(xs[i]));
        });
        return Tensor.record(out, "silu", () -> {
            float[] dx = x.gradBuffer(), dy = out.grad;
            Blocks.run(xs.length, (lo, hi) -> {
                int i = lo;
                for (; i + L <= hi; i += L) {
                    FloatVector v = FloatVector.fromArray(S, xs, i), sg = sigmoid(v);
                    FloatVector d = sg.mul(v.mul(sg.neg().add(1f)).add(1f));
                    FloatVector.fromArray(S, dy, i).mul(d).add(FloatVector.fromArray(S, dx, i)).intoArray(dx, i);
                }
                for (; i < hi; i++) {
                    double sg = sigmoid(xs[i]);
                    dx[i] += dy[i] * (float) (sg * (1 + xs[i] * (1 - sg)));
                }
            });
        }, x);
    }

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    /** 1 / (1 + e⁻ˣ) lane-wise; e⁻ˣ overflows to ∞ for very negative x, giving exactly 0. */
    private static FloatVector sigmoid(FloatVector v) {
        return FloatVector.broadcast(S, 1f).div(v.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    /** The exact GELU x·Φ(x) = ½x(1 + erf(x/√2)), torch's default (approximate='none'). */
    public static Tensor gelu(Tensor x) {
        return pointwise(x, "gelu", v -> 0.5 * v * (1 + erf(v * INV_SQRT2)),
                (v, y) -> (float) (0.5 * (1 + erf(v * INV_SQRT2)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v)));
    }

    /** log(1 + eˣ)/β·… with PyTorch's defaults β = 1, threshold 20 (linear above it). */
    public static Tensor softplus(Tensor x) {
        return pointwise(x, "softplus", v -> v > 20 ? v : Math.log1p(Math.exp(v)), (v, y) -> v > 20 ? 1f : (float) sigmoid(v));
    }

    static double sigmoid(double v) {
        return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    }

    private static final double INV_SQRT2 = 1 / Math.sqrt(2), INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    /**
     * The error function via the Chebyshev-fitted erfc of Numerical Recipes (fractional error below 1.2e-7
     * everywhere), ample for float32 results; the JDK has no erf.
     */
    static double erf(double z) {
        double t = 1 / (1 + 0.5 * Math.abs(z));
        double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return z >= 0 ? 1 - erfc : erfc - 1;
    }

    /** Splits [0, n) into blocks big enough that threading pays; small inputs run inline. */
    static final class Blocks {
        static final int BLOCK = 1 << 15;

        interface Range { void run(int lo, int hi); }

        static void run(int n, Range body) {
            if (n <= BLOCK) {
                body.run(0, n);
                return;
            }
            int blocks = (n + BLOCK - 1) / BLOCK;
            Parallel.forRange(blocks, b -> body.run(b * BLOCK, Math.min(n, (b + 1) * BLOCK)));
        }
    }
}
