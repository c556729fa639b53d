package vireo.lm.mamba;

import vireo.tensor.TensorView;

/**
 * Views onto the mapped weights, per layer: norm [d], inProj [2·dInner, d], conv [dInner, 1, dConv] (+ bias),
 * xProj [dtRank + 2·dState, dInner], dtProj [dInner, dtRank] + bias, aLog [dInner, dState], d [dInner],
 * outProj [d, dInner]; then the final norm and the (usually tied) head.
 */
public record MambaWeights(TensorView embedding, TensorView[] norm, TensorView[] inProj, TensorView[] convWeight,
                           TensorView[] convBias, TensorView[] xProj, TensorView[] dtProj, TensorView[] dtBias,
                           TensorView[] aLog, TensorView[] d, TensorView[] outProj, TensorView finalNorm, TensorView head) {}
