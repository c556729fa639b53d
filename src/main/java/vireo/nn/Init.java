package vireo.nn;

import vireo.tensor.Tensor;

import java.util.random.RandomGenerator;

/** Parameter initialisers (seeded). PyTorch's default for Linear/Conv is U(−b, b) with b = 1/√fan_in. */
final class Init {
    private Init() {}

    static Tensor uniform(RandomGenerator rng, float bound, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) t.data[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        return t;
    }
}
