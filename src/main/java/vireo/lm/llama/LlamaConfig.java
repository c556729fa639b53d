package vireo.lm.llama;

/**
 * Shape and numerics of a Llama-family model.
 *
 * @param ropeInterleaved true for llama2.c / Meta checkpoints (RoPE rotates adjacent pairs (2i, 2i+1)); false for
 *                        Hugging Face checkpoints, whose q/k rows are permuted so RoPE rotates halves (i, i + d/2)
 * @param ropeScaling     Llama 3.1 frequency scaling, or null
 */
public record LlamaConfig(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize, int seqLen,
                          double ropeTheta, float normEps, boolean ropeInterleaved, RopeScaling ropeScaling,
                          boolean tiedEmbeddings) {

    public int headSize() { return dim / heads; }

    public int kvDim() { return kvHeads * headSize(); }

    /** rope_type "llama3": low frequencies divided by {@code factor}, high kept, a smooth ramp between. */
    public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {
        double scale(double invFreq) {
            double wavelen = 2 * Math.PI / invFreq;
            double lowWavelen = originalMaxPositions / lowFreqFactor, highWavelen = originalMaxPositions / highFreqFactor;
            if (wavelen < highWavelen) return invFreq;
            if (wavelen > lowWavelen) return invFreq / factor;
            double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
            return (1 - smooth) * invFreq / factor + smooth * invFreq;
        }
    }

    /** Inverse frequency of rotation pair i (of headSize/2), scaling applied. */
    public double invFreq(int i) {
        double f = 1.0 / Math.pow(ropeTheta, 2.0 * i / headSize());
        return ropeScaling == null ? f : ropeScaling.scale(f);
    }
}
