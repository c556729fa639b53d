package vireo.tensor;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compares an op's recorded backward with central finite differences. The loss is L = Σ yᵢ·rᵢ with fixed random
 * weights r (built here with Tensor.record, so the check never trusts the ops it tests) and summed in double.
 * Each input value is nudged by ±eps in float32 and the two losses differenced in double; the analytic gradient
 * must agree within atol + rtol·|numeric|.
 */
public final class GradCheck {
    private GradCheck() {}

    public static final double EPS = 1e-2, ATOL = 2e-3, RTOL = 1e-2;

    /** Checks d(Σ f(inputs)·r)/d(every input that requires grad). */
    public static void check(String what, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        check(what, f, EPS, ATOL, RTOL, inputs);
    }

    public static void check(String what, Function<List<Tensor>, Tensor> f, double eps, double atol, double rtol, Tensor... inputs) {
        checkSome(what, f, Integer.MAX_VALUE, eps, atol, rtol, inputs);
    }

    /** Like {@link #check} but differentiates numerically only {@code perInput} seeded-random elements of each input (large ops). */
    public static void checkSome(String what, Function<List<Tensor>, Tensor> f, int perInput, double eps, double atol, double rtol, Tensor... inputs) {
        List<Tensor> in = List.of(inputs);
        for (Tensor t : inputs) t.zeroGrad();
        Tensor y = f.apply(in);
        float[] r = new float[y.size()];
        SplittableRandom rng = new SplittableRandom(1234);
        for (int i = 0; i < r.length; i++) r[i] = (float) (rng.nextDouble() * 2 - 1);
        Tensor loss = weightedSum(y, r);
        loss.backward();
        for (int ti = 0; ti < inputs.length; ti++) {
            Tensor t = inputs[ti];
            if (!t.requiresGrad()) continue;
            float[] analytic = t.grad == null ? new float[t.size()] : t.grad.clone();
            SplittableRandom pick = new SplittableRandom(ti);
            for (int c = 0; c < Math.min(perInput, t.size()); c++) {
                int i = perInput >= t.size() ? c : pick.nextInt(t.size());
                float orig = t.data[i];
                t.data[i] = (float) (orig + eps);
                double plus = loss(f, in, r);
                t.data[i] = (float) (orig - eps);
                double minus = loss(f, in, r);
                t.data[i] = orig;
                double h = ((double) (float) (orig + eps)) - ((double) (float) (orig - eps));
                double numeric = (plus - minus) / h;
                if (Math.abs(analytic[i] - numeric) > atol + rtol * Math.abs(numeric))
                    fail(what + ": input " + ti + " element " + i + " analytic " + analytic[i] + " vs numeric " + numeric);
            }
        }
    }

    private static double loss(Function<List<Tensor>, Tensor> f, List<Tensor> in, float[] r) {
        Tensor y = Tensor.noGrad(() -> f.apply(in));
        double s = 0;
        for (int i = 0; i < r.length; i++) s += (double) y.data[i] * r[i];
        return s;
    }

    private static Tensor weightedSum(Tensor y, float[] r) {
        double s = 0;
        for (int i = 0; i < r.length; i++) s += (double) y.data[i] * r[i];
        Tensor out = Tensor.scalar((float) s);
        return Tensor.record(out, "weightedSum", () -> {
            float g = out.grad[0];
            float[] d = new float[r.length];
            for (int i = 0; i < r.length; i++) d[i] = g * r[i];
            y.accumulate(d);
        }, y);
    }

    /** A trainable tensor with uniform values in [-1, 1) from a seed. */
    public static Tensor param(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < t.size(); i++) t.data[i] = (float) (rng.nextDouble() * 2 - 1);
        return t.requiresGrad(true);
    }

    /** Like {@link #param} but every value at least {@code gap} away from zero (for kinks at 0). */
    public static Tensor paramAwayFromZero(long seed, float gap, int... shape) {
        Tensor t = param(seed, shape);
        for (int i = 0; i < t.size(); i++) if (Math.abs(t.data[i]) < gap) t.data[i] = t.data[i] < 0 ? -gap - t.data[i] : gap + t.data[i];
        return t;
    }
}
