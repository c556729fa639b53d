package vireo.tpc;

import vireo.tensor.Activations;
import vireo.tensor.Conv;
import vireo.tensor.Norms;
import vireo.tensor.Tensor;

/** A BCAE-VS decoder head as autograd ops from vireo.tensor, on [B, 1, D, H, W] inputs (training and checks). */
final class TrainOps {
    private TrainOps() {}

    /** 8 × [ReflectionPad3d(1) → Conv3d k3 + bias → BatchNorm3d → LeakyReLU(0.1)] → Conv3d 1×1×1 + bias. */
    static Tensor decoder(BcaeVs.Decoder dec, Tensor x, boolean training) {
        Tensor h = x;
        for (BcaeVs.Block b : dec.blocks()) {
            h = Conv.conv3d(Conv.reflectionPad3d(h, 1), b.weight(), b.bias(), 1, 0, 1);
            h = Norms.batchNorm(h, b.gamma(), b.beta(), b.runningMean(), b.runningVar(), training, 0.1f, BcaeVs.BN_EPS);
            h = Activations.leakyRelu(h, BcaeVs.LEAKY_SLOPE);
        }
        return Conv.conv3d(h, dec.outWeight(), dec.outBias(), 1, 0, 1);
    }
}
