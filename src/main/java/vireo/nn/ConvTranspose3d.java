package vireo.nn;

import vireo.tensor.Conv;
import vireo.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * nn.ConvTranspose3d: weight [in, out, kd, kh, kw], bias [out]. Initialised like PyTorch, whose fan-in for this
 * layer is computed from weight dim 1, i.e. out·kd·kh·kw.
 */
public final class ConvTranspose3d extends Module {
    public final Tensor weight, bias;
    private final int[] stride, padding, outputPadding;

    public ConvTranspose3d(int in, int out, int[] kernel, int[] stride, int[] padding, int[] outputPadding, boolean bias, RandomGenerator rng) {
        float bound = (float) (1 / Math.sqrt((double) out * kernel[0] * kernel[1] * kernel[2]));
        this.weight = parameter("weight", Init.uniform(rng, bound, in, out, kernel[0], kernel[1], kernel[2]));
        this.bias = bias ? parameter("bias", Init.uniform(rng, bound, out)) : null;
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.outputPadding = outputPadding.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.convTranspose3d(x, weight, bias, stride, padding, outputPadding, new int[]{1, 1, 1});
    }
}
