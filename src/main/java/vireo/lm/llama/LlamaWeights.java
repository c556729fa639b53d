package vireo.lm.llama;

import vireo.tensor.TensorView;

/**
 * Views onto the mapped weight file, one entry per layer where the model has one per layer; nothing is copied.
 * Matrices are [out, in]: wq [dim, dim], wk/wv [kvDim, dim], wo [dim, dim], gate/up [hidden, dim], down [dim, hidden].
 */
public record LlamaWeights(TensorView tokenEmbedding, TensorView[] attnNorm, TensorView[] wq, TensorView[] wk,
                           TensorView[] wv, TensorView[] wo, TensorView[] ffnNorm, TensorView[] gate,
                           TensorView[] down, TensorView[] up, TensorView finalNorm, TensorView classifier) {}
