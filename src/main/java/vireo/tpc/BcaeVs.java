package vireo.tpc;

import vireo.io.InvalidFileException;
import vireo.sparse.SparseConv;
import vireo.sparse.SparseTensor;
import vireo.tensor.Tensor;
import vireo.tensor.TensorView;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * BCAE-VS (Huang et al., arXiv 2411.11942), exact to the authors' released code and checkpoint.
 *
 * <pre>
 * x        = log2(ADC + 1) at the nonzero voxels of a wedge (sparse, coords (b, a, z, l), 1 channel)
 * h1..h4   = ReLU(SubMConv3³(h, W_i, dilation 1, 2, 4, 2))          channels 1→2→2→2→2, no bias
 * [p, r]   = sigmoid(h4 · W_5)                                        1×1×1 conv 2→2
 * keep     = gate(p)                                                  Bernoulli(p) (seeded) or p > T
 * code     = fp16(r) at kept voxels                                   the compressed wedge
 * c        = dense volume (1, 1, 192, 249, 16): code at kept voxels, 0 elsewhere
 * reg, clf = Dec_reg(c), sigmoid(Dec_clf(c))                          8 × [ReflPad → Conv3³+b → BN → LeakyReLU(0.1)], 1×1×1 conv
 * reco     = reg · [clf > 0.5], then 0 where reco < 6.0
 * </pre>
 * Parameter names are the checkpoint's ({@code encoder.model.{0,2,4,6,8}.kernel}, {@code decoder.{reg,clf}.model.{i}.…}).
 */
public final class BcaeVs {
    public static final int[] DILATIONS = {1, 2, 4, 2};
    static final int[] ENCODER_LAYERS = {0, 2, 4, 6, 8};
    public static final int[] DECODER_CHANNELS = {1, 16, 16, 16, 8, 8, 8, 4, 2};
    public static final float LEAKY_SLOPE = 0.1f, BN_EPS = 1e-5f, RECO_CUTOFF = 6.0f, CLF_THRESHOLD = 0.5f;

    /** One decoder block: Conv3d weight [out, in, 3, 3, 3] + bias, BatchNorm3d affine and running statistics. */
    public record Block(Tensor weight, Tensor bias, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar) {
        int in() { return weight.dim(1); }
        int out() { return weight.dim(0); }
    }

    /** One dense decoder head: eight blocks, then a 1×1×1 conv 2→1 with bias. */
    public record Decoder(List<Block> blocks, Tensor outWeight, Tensor outBias) {
        /** Inference (BatchNorm with running statistics) on one [D, H, W] volume; returns the head's raw output. */
        public float[] forward(float[] volume, int d, int h, int w) {
            float[] x = volume;
            for (Block b : blocks) {
                int co = b.out();
                float[] scale = new float[co], shift = new float[co];
                for (int c = 0; c < co; c++) {
                    // bn(conv + bias) = conv·s + (bias − mean)·s + beta, s = gamma / sqrt(var + eps)
                    float s = (float) (b.gamma().data[c] / Math.sqrt(b.runningVar().data[c] + BN_EPS));
                    scale[c] = s;
                    shift[c] = (b.bias().data[c] - b.runningMean().data[c]) * s + b.beta().data[c];
                }
                x = DenseConv3d.forward(x, b.in(), d, h, w, b.weight().data, co, scale, shift, LEAKY_SLOPE, true);
            }
            return DenseConv3d.pointwise(x, outWeight.dim(1), d * h * w, outWeight.data, outBias.data[0]);
        }
    }

    /** Encoder kernels: four [27, C_in, C_out] and the final [2, 2]. */
    public final Tensor[] encoder;
    public final Decoder reg, clf;

    public BcaeVs(Tensor[] encoder, Decoder reg, Decoder clf) {
        this.encoder = encoder;
        this.reg = reg;
        this.clf = clf;
    }

    // ---------------------------------------------------------------- weights

    /** Loads the authors' checkpoint (model_last.pth) or a Vireo safetensors checkpoint of the same names. */
    public static BcaeVs load(Path checkpoint) {
        try (vireo.io.TensorFile f = CheckpointFiles.open(checkpoint)) {
            return fromTensors(checkpoint, f.tensors()); // copies every tensor, so the file can close
        }
    }

    public static BcaeVs fromTensors(Path source, Map<String, TensorView> t) {
        Tensor[] enc = new Tensor[5];
        for (int i = 0; i < 5; i++) {
            enc[i] = take(source, t, "encoder.model." + ENCODER_LAYERS[i] + ".kernel");
            int[] want = i < 4 ? new int[]{27, i == 0 ? 1 : 2, 2} : new int[]{2, 2};
            if (!Arrays.equals(enc[i].shape, want))
                throw new InvalidFileException(source, "encoder.model." + ENCODER_LAYERS[i] + ".kernel has shape "
                        + Arrays.toString(enc[i].shape) + ", BCAE-VS needs " + Arrays.toString(want));
        }
        return new BcaeVs(enc, decoder(source, t, "decoder.reg"), decoder(source, t, "decoder.clf"));
    }

    private static Decoder decoder(Path src, Map<String, TensorView> t, String prefix) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String p = prefix + ".model." + i;
            Block b = new Block(take(src, t, p + ".weight"), take(src, t, p + ".bias"), take(src, t, p + ".norm.weight"),
                    take(src, t, p + ".norm.bias"), take(src, t, p + ".norm.running_mean"), take(src, t, p + ".norm.running_var"));
            int[] want = {DECODER_CHANNELS[i + 1], DECODER_CHANNELS[i], 3, 3, 3};
            if (!Arrays.equals(b.weight().shape, want))
                throw new InvalidFileException(src, p + ".weight has shape " + Arrays.toString(b.weight().shape) + ", BCAE-VS needs " + Arrays.toString(want));
            blocks.add(b);
        }
        return new Decoder(List.copyOf(blocks), take(src, t, prefix + ".model.8.weight"), take(src, t, prefix + ".model.8.bias"));
    }

    private static Tensor take(Path src, Map<String, TensorView> t, String name) {
        TensorView v = t.get(name);
        if (v == null) throw new InvalidFileException(src, "not a BCAE-VS checkpoint: no tensor '" + name + "'");
        return v.toTensor();
    }

    /** A freshly initialised model (for training from scratch): Kaiming-uniform-like convs, BN at identity. */
    public static BcaeVs initialize(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor[] enc = new Tensor[5];
        for (int i = 0; i < 4; i++) enc[i] = uniform(rng, 27 * (i == 0 ? 1 : 2), 27, i == 0 ? 1 : 2, 2);
        enc[4] = uniform(rng, 2, 2, 2);
        return new BcaeVs(enc, freshDecoder(rng), freshDecoder(rng));
    }

    private static Decoder freshDecoder(SplittableRandom rng) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int ci = DECODER_CHANNELS[i], co = DECODER_CHANNELS[i + 1];
            blocks.add(new Block(uniform(rng, ci * 27, co, ci, 3, 3, 3), uniform(rng, ci * 27, co), Tensor.full(1f, co),
                    Tensor.zeros(co), Tensor.zeros(co), Tensor.full(1f, co)));
        }
        return new Decoder(List.copyOf(blocks), uniform(rng, 2, 1, 2, 1, 1, 1), uniform(rng, 2, 1));
    }

    private static Tensor uniform(SplittableRandom rng, int fanIn, int... shape) {
        Tensor t = Tensor.zeros(shape);
        double bound = 1 / Math.sqrt(fanIn);
        for (int i = 0; i < t.data.length; i++) t.data[i] = (float) rng.nextDouble(-bound, bound);
        return t;
    }

    /** All tensors under the checkpoint's names (BatchNorm running statistics included), in a stable order. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) m.put("encoder.model." + ENCODER_LAYERS[i] + ".kernel", encoder[i]);
        for (var e : List.of(Map.entry("decoder.reg", reg), Map.entry("decoder.clf", clf))) {
            Decoder d = e.getValue();
            for (int i = 0; i < 8; i++) {
                String p = e.getKey() + ".model." + i;
                Block b = d.blocks().get(i);
                m.put(p + ".weight", b.weight());
                m.put(p + ".bias", b.bias());
                m.put(p + ".norm.weight", b.gamma());
                m.put(p + ".norm.bias", b.beta());
                m.put(p + ".norm.running_mean", b.runningMean());
                m.put(p + ".norm.running_var", b.runningVar());
            }
            m.put(e.getKey() + ".model.8.weight", d.outWeight());
            m.put(e.getKey() + ".model.8.bias", d.outBias());
        }
        return m;
    }

    /**
     * Model identity stored in every compressed file: the first 16 hex digits of SHA-256 over each tensor's name,
     * shape and float32 values (little-endian), in {@link #stateDict()} order. A file can only be decoded by the
     * model that wrote it.
     */
    public String identity() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (var e : stateDict().entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                Tensor t = e.getValue();
                ByteBuffer bb = ByteBuffer.allocate(4 * (t.shape.length + t.data.length)).order(ByteOrder.LITTLE_ENDIAN);
                for (int s : t.shape) bb.putInt(s);
                for (float f : t.data) bb.putFloat(f);
                md.update(bb.array());
            }
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- encoder

    /** The encoder on sparse log-ADC input: features [n, 2] = (prob, regr) per active site; records autograd. */
    public SparseTensor encode(SparseTensor x) {
        SparseTensor h = x;
        for (int i = 0; i < 4; i++) {
            h = SparseConv.conv3(h, encoder[i], DILATIONS[i]);
            h = h.withFeatures(vireo.tensor.Activations.relu(h.features));
        }
        h = SparseConv.conv1(h, encoder[4]);
        return h.withFeatures(vireo.tensor.Activations.sigmoid(h.features));
    }

    /** A wedge's nonzero voxels as a sparse tensor (batch 0), rows in C order of the wedge. */
    public static SparseTensor sparse(Wedge w) {
        return SparseTensor.fromDense(new float[][]{w.log()}, Wedge.AZIMUTH, Wedge.Z, Wedge.LAYERS);
    }

    /** The encoder's per-voxel output on a wedge, in row (C) order of its nonzero voxels. */
    public record Encoded(int[] index, float[] prob, float[] regr) {}

    /** The encoder on one wedge, for inference (no autograd): per-voxel convolutions off a dense grid. */
    public Encoded encodeWedge(Wedge w) { return new WedgeEncoder(encoder).encode(w); }

    /** The same through the general sparse-convolution path (kernel maps, gather–GEMM–scatter); used to cross-check. */
    Encoded encodeWedgeSparse(Wedge w) {
        SparseTensor x = sparse(w);
        SparseTensor y = Tensor.noGrad(() -> encode(x));
        int[] idx = new int[x.n];
        float[] p = new float[x.n], r = new float[x.n];
        for (int i = 0; i < x.n; i++) {
            idx[i] = x.linearIndex(i, Wedge.Z, Wedge.LAYERS);
            p[i] = y.features.data[2 * i];
            r[i] = y.features.data[2 * i + 1];
        }
        return new Encoded(idx, p, r);
    }

    /** Encoder + gate: the kept voxels of a wedge with their float16 code values. */
    public KeptVoxels compress(Wedge w, Gate gate) {
        Encoded e = encodeWedge(w);
        boolean[] keep = gate.keep(e.prob());
        int n = 0;
        for (boolean k : keep) if (k) n++;
        int[] idx = new int[n];
        short[] val = new short[n];
        for (int i = 0, j = 0; i < keep.length; i++) {
            if (!keep[i]) continue;
            idx[j] = e.index()[i];
            val[j++] = Float.floatToFloat16(e.regr()[i]);
        }
        return new KeptVoxels(idx, val);
    }

    // ---------------------------------------------------------------- decoders

    /** Both heads on a kept-voxel code: raw regression output and classification probability per voxel. */
    public record Decoded(float[] reg, float[] clf) {}

    public Decoded decodeHeads(KeptVoxels code) {
        float[] c = code.toDenseVolume();
        float[] r = reg.forward(c, Wedge.AZIMUTH, Wedge.Z, Wedge.LAYERS);
        float[] s = clf.forward(c, Wedge.AZIMUTH, Wedge.Z, Wedge.LAYERS);
        for (int i = 0; i < s.length; i++) s[i] = FeatureOps.sigmoid(s[i]);
        return new Decoded(r, s);
    }

    /** reco = reg · [clf > 0.5], then zero below 6.0 (log2 units). */
    public Wedge decompress(KeptVoxels code) {
        Decoded d = decodeHeads(code);
        float[] reco = new float[Wedge.VOXELS];
        for (int i = 0; i < reco.length; i++) {
            float v = d.clf()[i] > CLF_THRESHOLD ? d.reg()[i] : 0f;
            reco[i] = v < RECO_CUTOFF ? 0f : v;
        }
        return new Wedge(reco);
    }
}
