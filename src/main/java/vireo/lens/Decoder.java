package vireo.lens;

import vireo.lm.LanguageModel;
import vireo.lm.llama.Llama;
import vireo.lm.mamba.Mamba;
import vireo.lm.rwkv.Rwkv5;
import vireo.tensor.TensorView;

/**
 * The model's own final norm and unembedding as a frozen function of a hidden state, with its backward pass:
 * logits = U · norm(h). RMSNorm for Llama and Mamba, LayerNorm (with bias) for RWKV's ln_out.
 */
public final class Decoder {
    private final float[] normWeight, normBias; // normBias null: RMSNorm
    private final float eps;
    private final float[] unembed; // [vocab][d], row-major
    private final int d, vocab;

    public Decoder(float[] normWeight, float[] normBias, float eps, float[] unembed, int vocab) {
        this.normWeight = normWeight;
        this.normBias = normBias;
        this.eps = eps;
        this.unembed = unembed;
        this.d = normWeight.length;
        this.vocab = vocab;
        if ((long) d * vocab != unembed.length) throw new IllegalArgumentException("unembedding is not [vocab][d]");
    }

    /** The final norm and unembedding of a loaded model. */
    public static Decoder of(LanguageModel model) {
        return switch (model) {
            case Llama m -> new Decoder(m.weights().finalNorm().toFloatArray(), null, m.config().normEps(),
                    m.weights().classifier().toFloatArray(), m.vocabSize());
            case Mamba m -> new Decoder(m.weights().finalNorm().toFloatArray(), null, m.config().normEps(),
                    m.weights().head().toFloatArray(), m.vocabSize());
            case Rwkv5 m -> new Decoder(m.weights().lnOutWeight(), m.weights().lnOutBias(), m.config().layerNormEps(),
                    m.weights().head().toFloatArray(), m.vocabSize());
            default -> throw new IllegalArgumentException("no lens decoder for model family " + model.family());
        };
    }

    public int dModel() { return d; }

    public int vocabSize() { return vocab; }

    /** Logits of hidden state h. */
    public float[] logits(float[] h) {
        float[] n = norm(h);
        float[] out = new float[vocab];
        for (int v = 0; v < vocab; v++) {
            double s = 0;
            int o = v * d;
            for (int j = 0; j < d; j++) s += unembed[o + j] * n[j];
            out[v] = (float) s;
        }
        return out;
    }

    float[] norm(float[] h) {
        float[] out = new float[d];
        if (normBias == null) {
            double ss = 0;
            for (float x : h) ss += x * x;
            float inv = (float) (1.0 / Math.sqrt(ss / d + eps));
            for (int j = 0; j < d; j++) out[j] = normWeight[j] * h[j] * inv;
        } else {
            double mean = 0, var = 0;
            for (float x : h) mean += x;
            mean /= d;
            for (float x : h) var += (x - mean) * (x - mean);
            var /= d;
            double inv = 1.0 / Math.sqrt(var + eps);
            for (int j = 0; j < d; j++) out[j] = (float) ((h[j] - mean) * inv * normWeight[j] + normBias[j]);
        }
        return out;
    }

    /** Gradient with respect to h of a loss whose gradient with respect to logits(h) is dLogits. */
    public float[] backward(float[] h, float[] dLogits) {
        double[] gn = new double[d]; // d loss / d norm(h)
        for (int v = 0; v < vocab; v++) {
            float g = dLogits[v];
            if (g == 0f) continue;
            int o = v * d;
            for (int j = 0; j < d; j++) gn[j] += g * unembed[o + j];
        }
        float[] dh = new float[d];
        if (normBias == null) {
            double ss = 0;
            for (float x : h) ss += x * x;
            double r = 1.0 / Math.sqrt(ss / d + eps);
            double dot = 0;
            for (int j = 0; j < d; j++) dot += gn[j] * normWeight[j] * h[j];
            for (int j = 0; j < d; j++) dh[j] = (float) (r * gn[j] * normWeight[j] - r * r * r * h[j] * dot / d);
        } else {
            double mean = 0, var = 0;
            for (float x : h) mean += x;
            mean /= d;
            for (float x : h) var += (x - mean) * (x - mean);
            var /= d;
            double r = 1.0 / Math.sqrt(var + eps);
            double mg = 0, mgx = 0;
            double[] gx = new double[d], xhat = new double[d];
            for (int j = 0; j < d; j++) {
                xhat[j] = (h[j] - mean) * r;
                gx[j] = gn[j] * normWeight[j];
                mg += gx[j];
                mgx += gx[j] * xhat[j];
            }
            mg /= d;
            mgx /= d;
            for (int j = 0; j < d; j++) dh[j] = (float) (r * (gx[j] - mg - xhat[j] * mgx));
        }
        return dh;
    }
}
