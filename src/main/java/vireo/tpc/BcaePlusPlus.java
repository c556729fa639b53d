package vireo.tpc;

import vireo.tensor.Activations;
import vireo.tensor.Conv;
import vireo.tensor.Ops;
import vireo.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The dense BCAE++ baseline (Huang et al. 2023, architecture as in the authors' released network3d code): the wedge
 * permuted to (layer, azimuth, z) = (16, 192, 249), z zero-padded to 256, then
 * <ul>
 *   <li>encoder: 4 residual blocks, each main = conv k[3,4,4] s[1,2,2] p1 → LeakyReLU(0.2) → conv k3 p1, side = the
 *       same strided conv, out = LeakyReLU(α·main + side) with ReZero α initialised to 0, no normalisation; channels
 *       8/16/32/32; then conv k3 p1 to an 8-channel code of 16×12×16 stored as float16 (ratio 764,928/24,576 =
 *       31.125);</li>
 *   <li>two decoders (regression, classification): 4 × [ConvTranspose3d k[3,4,4] s[1,2,2] p1 → LeakyReLU(0.2)],
 *       channels 8→16→8→4→2, then conv k3 p1 to 1; regression output 6 + 3·exp(x), classification sigmoid;
 *       reconstruction reg·[clf > 0.5], padded z bins cropped.</li>
 * </ul>
 * Weights are randomly initialised (seeded) or loaded with {@link #load} from a {@code vireo tpc train-dense}
 * checkpoint; the codec's bytes are the raw float16 code (49,152 bytes, no header), so the real-bytes ratio is 31.125.
 */
public final class BcaePlusPlus implements WedgeCodec {
    public static final int[] CHANNELS = {8, 16, 32, 32};
    public static final int CODE_CHANNELS = 8, Z_PADDED = 256;
    public static final int[] CODE_SHAPE = {CODE_CHANNELS, 16, 12, 16};
    public static final float SLOPE = 0.2f;
    static final int[] K = {3, 4, 4}, S = {1, 2, 2}, P = {1, 1, 1}, ONE = {1, 1, 1};
    static final int[] DEC_CHANNELS = {8, 16, 8, 4, 2};

    record Block(Tensor mainW, Tensor mainB, Tensor main2W, Tensor main2B, Tensor sideW, Tensor sideB, Tensor alpha) {}

    record Decoder(List<Tensor> weights, List<Tensor> biases, Tensor outW, Tensor outB) {}

    private final List<Block> encoder = new ArrayList<>();
    private final Tensor codeW, codeB;
    private final Decoder reg, clf;

    public BcaePlusPlus(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int in = 1;
        for (int c : CHANNELS) {
            encoder.add(new Block(kaiming(rng, c, in, K), zeros(c), kaiming(rng, c, c, new int[]{3, 3, 3}), zeros(c),
                    kaiming(rng, c, in, K), zeros(c), Tensor.zeros(1)));
            in = c;
        }
        codeW = kaiming(rng, CODE_CHANNELS, in, new int[]{3, 3, 3});
        codeB = zeros(CODE_CHANNELS);
        reg = decoder(rng);
        clf = decoder(rng);
    }

    private static Decoder decoder(SplittableRandom rng) {
        List<Tensor> w = new ArrayList<>(), b = new ArrayList<>();
        for (int i = 0; i + 1 < DEC_CHANNELS.length; i++) {
            // ConvTranspose3d weight layout [in, out, kd, kh, kw]
            w.add(kaiming(rng, DEC_CHANNELS[i], DEC_CHANNELS[i + 1], K));
            b.add(zeros(DEC_CHANNELS[i + 1]));
        }
        return new Decoder(w, b, kaiming(rng, 1, DEC_CHANNELS[DEC_CHANNELS.length - 1], new int[]{3, 3, 3}), zeros(1));
    }

    private static Tensor zeros(int n) { return Tensor.zeros(n); }

    private static Tensor kaiming(SplittableRandom rng, int out, int in, int[] k) {
        int fan = in * k[0] * k[1] * k[2];
        float bound = (float) Math.sqrt(1.0 / fan);
        Tensor t = Tensor.zeros(out, in, k[0], k[1], k[2]);
        for (int i = 0; i < t.data.length; i++) t.data[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        return t;
    }

    /** Wedge (a, z, l) → input [1, 1, 16, 192, 256] (layer, azimuth, z), z zero-padded. */
    public static Tensor input(Wedge w) {
        float[] x = w.log();
        Tensor t = Tensor.zeros(1, 1, Wedge.LAYERS, Wedge.AZIMUTH, Z_PADDED);
        for (int a = 0; a < Wedge.AZIMUTH; a++)
            for (int z = 0; z < Wedge.Z; z++)
                for (int l = 0; l < Wedge.LAYERS; l++)
                    t.data[(l * Wedge.AZIMUTH + a) * Z_PADDED + z] = x[Wedge.index(a, z, l)];
        return t;
    }

    /** The 8×16×12×16 code (before float16 rounding). */
    public Tensor encode(Tensor x) {
        Tensor h = x;
        for (Block b : encoder) {
            Tensor main = Activations.leakyRelu(Conv.conv3d(h, b.mainW, b.mainB, S, P, ONE), SLOPE);
            main = Conv.conv3d(main, b.main2W, b.main2B, ONE, ONE, ONE);
            Tensor side = Conv.conv3d(h, b.sideW, b.sideB, S, P, ONE);
            h = Activations.leakyRelu(Ops.add(Ops.mul(main, b.alpha), side), SLOPE);
        }
        return Conv.conv3d(h, codeW, codeB, ONE, ONE, ONE);
    }

    private static Tensor decode(Decoder d, Tensor code) {
        Tensor h = code;
        for (int i = 0; i < d.weights.size(); i++)
            h = Activations.leakyRelu(Conv.convTranspose3d(h, d.weights.get(i), d.biases.get(i), S, P), SLOPE);
        return Conv.conv3d(h, d.outW, d.outB, ONE, ONE, ONE);
    }

    /** Both heads on a code [1, 8, 16, 12, 16]: regression (6 + 3·exp) and classification (sigmoid), [1,1,16,192,256]. */
    public Tensor[] decodeHeads(Tensor code) {
        Tensor r = Ops.add(Ops.mul(Ops.exp(decode(reg, code)), 3f), 6f);
        Tensor c = Activations.sigmoid(decode(clf, code));
        return new Tensor[]{r, c};
    }

    @Override
    public String name() { return "bcae++"; }

    @Override
    public byte[] encode(Wedge wedge) {
        Tensor code = Tensor.noGrad(() -> encode(input(wedge)));
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(code.size() * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : code.data) out.putShort(Float.floatToFloat16(v));
        return out.array();
    }

    @Override
    public Wedge decode(byte[] bytes) {
        int n = CODE_SHAPE[0] * CODE_SHAPE[1] * CODE_SHAPE[2] * CODE_SHAPE[3];
        if (bytes.length != 2 * n) throw new IllegalArgumentException("a BCAE++ code has " + 2 * n + " bytes, got " + bytes.length);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        float[] c = new float[n];
        for (int i = 0; i < n; i++) c[i] = Float.float16ToFloat(in.getShort());
        Tensor[] heads = Tensor.noGrad(() -> decodeHeads(Tensor.of(c, 1, CODE_SHAPE[0], CODE_SHAPE[1], CODE_SHAPE[2], CODE_SHAPE[3])));
        float[] reco = new float[Wedge.VOXELS];
        for (int a = 0; a < Wedge.AZIMUTH; a++)
            for (int z = 0; z < Wedge.Z; z++)
                for (int l = 0; l < Wedge.LAYERS; l++) {
                    int j = (l * Wedge.AZIMUTH + a) * Z_PADDED + z;
                    reco[Wedge.index(a, z, l)] = heads[1].data[j] > 0.5f ? heads[0].data[j] : 0f;
                }
        return new Wedge(reco);
    }

    /** Every trainable tensor by a PyTorch-like name. */
    public java.util.LinkedHashMap<String, Tensor> namedParameters() {
        var m = new java.util.LinkedHashMap<String, Tensor>();
        for (int i = 0; i < encoder.size(); i++) {
            Block b = encoder.get(i);
            String p = "encoder.blocks." + i + ".";
            m.put(p + "main.0.weight", b.mainW); m.put(p + "main.0.bias", b.mainB);
            m.put(p + "main.2.weight", b.main2W); m.put(p + "main.2.bias", b.main2B);
            m.put(p + "side.weight", b.sideW); m.put(p + "side.bias", b.sideB);
            m.put(p + "rezero_alpha", b.alpha);
        }
        m.put("encoder.out.weight", codeW);
        m.put("encoder.out.bias", codeB);
        for (var e : java.util.List.of(java.util.Map.entry("decoder.reg.", reg), java.util.Map.entry("decoder.clf.", clf))) {
            Decoder d = e.getValue();
            for (int i = 0; i < d.weights.size(); i++) {
                m.put(e.getKey() + i + ".weight", d.weights.get(i));
                m.put(e.getKey() + i + ".bias", d.biases.get(i));
            }
            m.put(e.getKey() + "out.weight", d.outW);
            m.put(e.getKey() + "out.bias", d.outB);
        }
        return m;
    }

    /** Input voxels over code values: 764,928 / 24,576 = 31.125 (both at 16 bits). */
    public static double compressionRatio() { return (double) Wedge.VOXELS / (CODE_SHAPE[0] * CODE_SHAPE[1] * CODE_SHAPE[2] * CODE_SHAPE[3]); }

    /** Saves every parameter as float32 safetensors (PyTorch-style names), atomically via {@link vireo.io.SafeTensors#write}. */
    public void save(java.nio.file.Path path, java.util.Map<String, String> metadata) {
        var tensors = new java.util.LinkedHashMap<String, vireo.tensor.TensorView>();
        for (var e : namedParameters().entrySet())
            tensors.put(e.getKey(), vireo.tensor.TensorView.ofFloats(e.getValue().data, e.getValue().shape));
        var meta = new java.util.LinkedHashMap<>(metadata);
        meta.put("model", "bcae++");
        vireo.io.SafeTensors.write(path, tensors, meta);
    }

    /**
     * A model with the weights of a safetensors file written by {@link #save} / {@code vireo tpc train-dense}. A file
     * missing a tensor, or with a wrong shape, or not safetensors at all, is a one-line {@link vireo.io.InvalidFileException}.
     */
    public static BcaePlusPlus load(java.nio.file.Path path) {
        BcaePlusPlus m = new BcaePlusPlus(0);
        try (vireo.io.TensorFile f = vireo.io.SafeTensors.read(path)) {
            for (var e : m.namedParameters().entrySet()) {
                if (!f.has(e.getKey())) throw new vireo.io.InvalidFileException(path, "not a BCAE++ checkpoint: no tensor " + e.getKey());
                vireo.tensor.TensorView v = f.get(e.getKey());
                Tensor p = e.getValue();
                if (!java.util.Arrays.equals(v.shape(), p.shape))
                    throw new vireo.io.InvalidFileException(path, "tensor " + e.getKey() + " has shape " + java.util.Arrays.toString(v.shape())
                            + ", BCAE++ expects " + java.util.Arrays.toString(p.shape));
                float[] d = v.toFloatArray();
                System.arraycopy(d, 0, p.data, 0, d.length);
            }
        }
        return m;
    }
}
