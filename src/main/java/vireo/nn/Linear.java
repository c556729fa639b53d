package vireo.nn;

import vireo.tensor.Ops;
import vireo.tensor.Tensor;

import java.util.random.RandomGenerator;

/** y = x·Wᵀ + b with W [out, in] ("weight") and b [out] ("bias"); PyTorch's U(±1/√in) initialisation. */
public final class Linear extends Module {
    public final Tensor weight, bias;

    public Linear(int in, int out, boolean bias, RandomGenerator rng) {
        float bound = (float) (1 / Math.sqrt(in));
        this.weight = parameter("weight", Init.uniform(rng, bound, out, in));
        this.bias = bias ? parameter("bias", Init.uniform(rng, bound, out)) : null;
    }

    @Override
    public Tensor forward(Tensor x) { return Ops.linear(x, weight, bias); }
}
