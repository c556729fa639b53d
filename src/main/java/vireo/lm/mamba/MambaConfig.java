package vireo.lm.mamba;

/**
 * Mamba-1 shape: d_inner = expand·d_model channels, each with a d_state-wide selective state and a d_conv-tap causal
 * convolution; dt_rank is the width of the low-rank time-step projection.
 */
public record MambaConfig(int dModel, int dInner, int dState, int dConv, int dtRank, int layers, int vocabSize,
                          float normEps, boolean convBias, boolean projBias) {}
