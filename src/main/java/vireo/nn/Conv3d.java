package vireo.nn;

import vireo.tensor.Conv;
import vireo.tensor.Tensor;

import java.util.random.RandomGenerator;

/** nn.Conv3d with zero padding: weight [out, in, kd, kh, kw], bias [out]; U(±1/√(in·kd·kh·kw)) initialisation. */
public final class Conv3d extends Module {
    public final Tensor weight, bias;
    private final int[] stride, padding, dilation;

    public Conv3d(int in, int out, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean bias, RandomGenerator rng) {
        float bound = (float) (1 / Math.sqrt((double) in * kernel[0] * kernel[1] * kernel[2]));
        this.weight = parameter("weight", Init.uniform(rng, bound, out, in, kernel[0], kernel[1], kernel[2]));
        this.bias = bias ? parameter("bias", Init.uniform(rng, bound, out)) : null;
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
    }

    /** Cubic kernel k, stride 1, no dilation, padding p on every side. */
    public Conv3d(int in, int out, int k, int padding, boolean bias, RandomGenerator rng) {
        this(in, out, new int[]{k, k, k}, new int[]{1, 1, 1}, new int[]{padding, padding, padding}, new int[]{1, 1, 1}, bias, rng);
    }

    @Override
    public Tensor forward(Tensor x) { return Conv.conv3d(x, weight, bias, stride, padding, dilation); }
}
