package vireo.lens;

/** One layer's affine translator h ↦ h + W h + b, zero-initialised so a fresh tuned lens is the logit lens. */
public final class Translator {
    final float[] weight; // [d][d] row-major: (W h)_i = Σ_j W[i][j] h_j
    final float[] bias;
    final int d;

    public Translator(int d) { this(new float[d * d], new float[d]); }

    public Translator(float[] weight, float[] bias) {
        this.d = bias.length;
        if (weight.length != d * d) throw new IllegalArgumentException("translator weight is not [d][d]");
        this.weight = weight;
        this.bias = bias;
    }

    public float[] weight() { return weight; }

    public float[] bias() { return bias; }

    public float[] apply(float[] h) {
        float[] out = new float[d];
        for (int i = 0; i < d; i++) {
            double s = h[i] + bias[i];
            int o = i * d;
            for (int j = 0; j < d; j++) s += weight[o + j] * h[j];
            out[i] = (float) s;
        }
        return out;
    }

    /** Accumulates the parameter gradients for output gradient g at input h; returns d loss / d h is not needed. */
    void accumulate(float[] h, float[] g, float[] gradW, float[] gradB, float scale) {
        for (int i = 0; i < d; i++) {
            float gi = g[i] * scale;
            gradB[i] += gi;
            int o = i * d;
            for (int j = 0; j < d; j++) gradW[o + j] += gi * h[j];
        }
    }
}
