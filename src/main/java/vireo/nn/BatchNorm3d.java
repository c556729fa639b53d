package vireo.nn;

import vireo.tensor.Norms;
import vireo.tensor.Tensor;

/**
 * nn.BatchNorm3d(C) (also fits 1d/2d inputs): affine weight/bias, buffers running_mean, running_var and
 * num_batches_tracked (a float here; PyTorch stores int64). momentum 0.1, eps 1e-5 unless given.
 */
public final class BatchNorm3d extends Module {
    public final Tensor weight, bias, runningMean, runningVar, numBatchesTracked;
    private final float momentum, eps;

    public BatchNorm3d(int channels, float momentum, float eps) {
        this.weight = parameter("weight", Tensor.full(1f, channels));
        this.bias = parameter("bias", Tensor.zeros(channels));
        this.runningMean = buffer("running_mean", Tensor.zeros(channels));
        this.runningVar = buffer("running_var", Tensor.full(1f, channels));
        this.numBatchesTracked = buffer("num_batches_tracked", Tensor.zeros());
        this.momentum = momentum;
        this.eps = eps;
    }

    public BatchNorm3d(int channels) { this(channels, 0.1f, 1e-5f); }

    @Override
    public Tensor forward(Tensor x) {
        if (training) numBatchesTracked.data[0]++;
        return Norms.batchNorm(x, weight, bias, runningMean, runningVar, training, momentum, eps);
    }
}
