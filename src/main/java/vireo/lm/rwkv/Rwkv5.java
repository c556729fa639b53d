package vireo.lm.rwkv;

import vireo.io.InvalidFileException;
import vireo.io.TensorFile;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;
import vireo.tensor.Kernels;
import vireo.tensor.TensorView;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RWKV v5.2 ("Eagle"), one token at a time, as the equations read.
 *
 * <pre>
 * x = LN0(emb[token])
 * per layer:  x += TimeMix(LN1(x));  x += ChannelMix(LN2(x))
 * logits = head · LN_out(x)
 *
 * TimeMix(x), with sx the previous token's LN1 output and per head h an S×S matrix state:
 *   x_c = x·μ_c + sx·(1−μ_c) for c in k, v, r, g;   sx ← x
 *   r = W_r x_r,  k = W_k x_k,  v = W_v x_v,  g = silu(W_g x_g)
 *   per head:  a = k vᵀ;  o = rᵀ(diag(u)·a + S);  S ← a + diag(w)·S     (w = exp(−exp(time_decay)), u = time_faaaa)
 *   out = W_o (GroupNorm_H(o) ⊙ g)
 * ChannelMix(x), with sx' the previous token's LN2 output:
 *   x_k, x_r as above;  sx' ← x;   out = sigmoid(W_r' x_r) ⊙ W_v' relu(W_k' x_k)²
 * </pre>
 *
 * Matrices stay where the loader put them (memory-mapped); per-channel vectors are copied to the heap (KBs).
 * All per-sequence memory, including scratch buffers, lives in {@link RwkvState}, so a step allocates nothing.
 */
public final class Rwkv5 implements LanguageModel {

    /** The ln_x GroupNorm epsilon of rwkv.cpp (and of the candle / tuned-lens ports). */
    public static final float RWKV_CPP_GROUP_NORM_EPS = 1e-5f;
    /** The ln_x GroupNorm epsilon of BlinkDL's official v5 code ("same as gn(x/8, eps=1e-5)"). */
    public static final float OFFICIAL_GROUP_NORM_EPS = 64e-5f;

    /**
     * Sizes and the two epsilons. {@code groupNormEps} differs between implementations (1e-5 in rwkv.cpp, 64e-5
     * in BlinkDL's code); use the one the checkpoint's reference outputs were made with.
     */
    public record Config(int vocabSize, int dModel, int numLayers, int numHeads, int headSize, int dFfn,
                         float layerNormEps, float groupNormEps) {}

    /** One block. Vectors are heap copies; the seven matrices are views ([out, in]) into the checkpoint. */
    public record Layer(float[] ln1Weight, float[] ln1Bias, float[] ln2Weight, float[] ln2Bias,
                        float[] attMixK, float[] attMixV, float[] attMixR, float[] attMixG,
                        float[] decay, float[] bonus, float[] lnXWeight, float[] lnXBias,
                        TensorView attReceptance, TensorView attKey, TensorView attValue, TensorView attGate,
                        TensorView attOutput,
                        float[] ffnMixK, float[] ffnMixR,
                        TensorView ffnKey, TensorView ffnValue, TensorView ffnReceptance) {}

    /** The whole model: embedding [V, C], ln0, blocks, ln_out, head [V, C]. */
    public record Weights(TensorView embedding, float[] ln0Weight, float[] ln0Bias, List<Layer> layers,
                          float[] lnOutWeight, float[] lnOutBias, TensorView head) {}

    /** How a checkpoint spells the tensors (and whether time_decay is stored raw or already as w). */
    public enum Naming {
        /** BlinkDL's .pth names, raw time_decay. */
        BLINKDL,
        /** BlinkDL names as rwkv.cpp's converter writes them: time_decay already exp(−exp(·)). */
        RWKV_CPP,
        /** The Hugging Face port: rwkv.blocks.N.attention.time_mix_key, ... (raw time_decay). */
        HF
    }

    private final Config config;
    private final Weights weights;
    private final TensorFile owner;
    private final String[][] pointNames; // per layer: resid_pre, mixer_out, mlp_out, resid_post
    private final String[][] stateNames; // per layer: shift_att, wkv, shift_ffn
    private final List<String> hookPoints;

    public Rwkv5(Config config, Weights weights, TensorFile owner) {
        this.config = config;
        this.weights = weights;
        this.owner = owner;
        int n = config.numLayers();
        pointNames = new String[n][];
        stateNames = new String[n][];
        List<String> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String b = "blocks." + i + ".";
            pointNames[i] = new String[] {b + "resid_pre", b + "mixer_out", b + "mlp_out", b + "resid_post"};
            stateNames[i] = new String[] {b + "state.shift_att", b + "state.wkv", b + "state.shift_ffn"};
            points.addAll(List.of(stateNames[i]));
            points.addAll(List.of(pointNames[i]));
        }
        hookPoints = List.copyOf(points);
    }

    public Config config() { return config; }

    public Weights weights() { return weights; }

    /** Builds the model from a checkpoint's tensors; the model closes {@code file} when closed. */
    public static Rwkv5 of(TensorFile file, Naming naming, float groupNormEps) {
        Names n = new Names(file, naming);
        TensorView emb = n.get("emb.weight");
        int vocab = emb.shape()[0], c = emb.shape()[1];
        int layers = 0;
        while (n.has("blocks." + layers + ".ln1.weight")) layers++;
        if (layers == 0) throw new InvalidFileException(file.path(), "no RWKV blocks (blocks.0.ln1.weight missing)");
        if (!n.has("blocks.0.att.time_faaaa") || !n.has("blocks.0.att.gate.weight"))
            throw new InvalidFileException(file.path(), "not an RWKV v5.2 checkpoint (needs att.time_faaaa and att.gate; "
                    + (n.has("blocks.0.att.time_first") ? "this looks like v5.0/5.1" : n.has("blocks.0.att.w0") ? "this looks like v7" : "v4/v6 are not supported") + ")");
        TensorView faaaa = n.get("blocks.0.att.time_faaaa");
        int heads = faaaa.shape()[0], headSize = (int) (faaaa.numel() / heads);
        if (heads * headSize != c) throw new InvalidFileException(file.path(), "time_faaaa " + faaaa + " does not match n_embd " + c);
        int ffn = n.get("blocks.0.ffn.key.weight").shape()[0];
        Config cfg = new Config(vocab, c, layers, heads, headSize, ffn, 1e-5f, groupNormEps);

        List<Layer> ls = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            String b = "blocks." + i + ".";
            float[] decay = n.vec(b + "att.time_decay", c);
            if (naming != Naming.RWKV_CPP) for (int j = 0; j < c; j++) decay[j] = (float) Math.exp(-Math.exp(decay[j]));
            ls.add(new Layer(n.vec(b + "ln1.weight", c), n.vec(b + "ln1.bias", c), n.vec(b + "ln2.weight", c), n.vec(b + "ln2.bias", c),
                    n.vec(b + "att.time_mix_k", c), n.vec(b + "att.time_mix_v", c), n.vec(b + "att.time_mix_r", c), n.vec(b + "att.time_mix_g", c),
                    decay, n.vec(b + "att.time_faaaa", c), n.vec(b + "att.ln_x.weight", c), n.vec(b + "att.ln_x.bias", c),
                    n.mat(b + "att.receptance.weight", c, c), n.mat(b + "att.key.weight", c, c), n.mat(b + "att.value.weight", c, c),
                    n.mat(b + "att.gate.weight", c, c), n.mat(b + "att.output.weight", c, c),
                    n.vec(b + "ffn.time_mix_k", c), n.vec(b + "ffn.time_mix_r", c),
                    n.mat(b + "ffn.key.weight", ffn, c), n.mat(b + "ffn.value.weight", c, ffn), n.mat(b + "ffn.receptance.weight", c, c)));
        }
        Weights w = new Weights(n.mat("emb.weight", vocab, c), n.vec("blocks.0.ln0.weight", c), n.vec("blocks.0.ln0.bias", c), List.copyOf(ls),
                n.vec("ln_out.weight", c), n.vec("ln_out.bias", c), n.mat("head.weight", vocab, c));
        return new Rwkv5(cfg, w, file);
    }

    // ---------------------------------------------------------------------------------------------- forward

    @Override
    public float[] step(State state, int token, Hooks hooks) {
        RwkvState s = (RwkvState) state;
        if (token < 0 || token >= config.vocabSize())
            throw new IllegalArgumentException("token " + token + " outside vocabulary of " + config.vocabSize());
        int pos = s.position;
        int c = config.dModel();
        float[] x = s.x;
        if (!hooks.isEmpty()) {
            for (int i = 0; i < config.numLayers(); i++) {
                hooks.run(stateNames[i][0], pos, s.shiftAtt[i]);
                hooks.run(stateNames[i][1], pos, s.wkv[i]);
                hooks.run(stateNames[i][2], pos, s.shiftFfn[i]);
            }
        }
        weights.embedding().readRow(token, x);
        layerNorm(x, weights.ln0Weight(), weights.ln0Bias(), x, c, config.layerNormEps());
        for (int i = 0; i < config.numLayers(); i++) {
            Layer l = weights.layers().get(i);
            hooks.run(pointNames[i][0], pos, x);
            timeMix(l, s, i, x, s.out);
            hooks.run(pointNames[i][1], pos, s.out);
            for (int j = 0; j < c; j++) x[j] += s.out[j];
            channelMix(l, s, i, x, s.out);
            hooks.run(pointNames[i][2], pos, s.out);
            for (int j = 0; j < c; j++) x[j] += s.out[j];
            hooks.run(pointNames[i][3], pos, x);
        }
        layerNorm(x, weights.lnOutWeight(), weights.lnOutBias(), s.xn, c, config.layerNormEps());
        Kernels.matvec(weights.head(), s.xn, 0, s.logits, 0);
        s.position++;
        return s.logits;
    }

    private void timeMix(Layer l, RwkvState s, int layer, float[] x, float[] out) {
        int c = config.dModel(), heads = config.numHeads(), hs = config.headSize();
        float[] xx = s.xn, sx = s.shiftAtt[layer];
        layerNorm(x, l.ln1Weight(), l.ln1Bias(), xx, c, config.layerNormEps());
        mix(xx, sx, l.attMixR(), s.xr, c);
        mix(xx, sx, l.attMixK(), s.xk, c);
        mix(xx, sx, l.attMixV(), s.xv, c);
        mix(xx, sx, l.attMixG(), s.xg, c);
        System.arraycopy(xx, 0, sx, 0, c);
        Kernels.matvec(l.attReceptance(), s.xr, 0, s.r, 0);
        Kernels.matvec(l.attKey(), s.xk, 0, s.k, 0);
        Kernels.matvec(l.attValue(), s.xv, 0, s.v, 0);
        Kernels.matvec(l.attGate(), s.xg, 0, s.g, 0);
        for (int j = 0; j < c; j++) s.g[j] = silu(s.g[j]);

        // wkv: per head, S[i][j] over key index i (decays with w_i) and value index j; then ln_x and the gate
        float[] o = s.o;
        java.util.Arrays.fill(o, 0, c, 0f);
        wkvRow(l, s.wkv[layer], s.r, s.k, s.v, s.g, o, 0);
        Kernels.matvec(l.attOutput(), o, 0, out, 0);
    }

    private void channelMix(Layer l, RwkvState s, int layer, float[] x, float[] out) {
        int c = config.dModel();
        float[] xx = s.xn, sx = s.shiftFfn[layer];
        layerNorm(x, l.ln2Weight(), l.ln2Bias(), xx, c, config.layerNormEps());
        mix(xx, sx, l.ffnMixK(), s.xk, c);
        mix(xx, sx, l.ffnMixR(), s.xr, c);
        System.arraycopy(xx, 0, sx, 0, c);
        Kernels.matvec(l.ffnKey(), s.xk, 0, s.hidden, 0);
        for (int j = 0; j < config.dFfn(); j++) { float k = Math.max(s.hidden[j], 0f); s.hidden[j] = k * k; }
        Kernels.matvec(l.ffnValue(), s.hidden, 0, out, 0);
        Kernels.matvec(l.ffnReceptance(), s.xr, 0, s.r, 0);
        for (int j = 0; j < c; j++) out[j] *= sigmoid(s.r[j]);
    }

    /**
     * The block forward: rows of all sequences packed into [m, C] matrices, the seven projections and the head as
     * matrix–matrix products; the token shift and the wkv recurrence run row after row over each sequence's own
     * state, firing the state points before each row exactly as {@link #step} does before each token.
     */
    @Override
    public List<float[][]> forwardBatch(List<Sequence> batch) {
        checkBatch(batch);
        int m = 0;
        for (Sequence q : batch) m += q.tokens().length;
        int c = config.dModel(), f = config.dFfn(), heads = config.numHeads(), hs = config.headSize(), vocab = config.vocabSize();
        float eps = config.layerNormEps();
        RwkvState[] rowState = new RwkvState[m];
        Hooks[] rowHooks = new Hooks[m];
        int[] rowPos = new int[m];
        boolean[] first = new boolean[m];
        float[] x = new float[m * c], row = new float[c];
        boolean hooked = false;
        int r = 0;
        for (Sequence q : batch) {
            RwkvState s = (RwkvState) q.state();
            hooked |= !q.hooks().isEmpty();
            for (int i = 0; i < q.tokens().length; i++, r++) {
                rowState[r] = s;
                rowHooks[r] = q.hooks();
                rowPos[r] = s.position + i;
                first[r] = i == 0;
                weights.embedding().readRow(q.tokens()[i], row);
                layerNorm(row, weights.ln0Weight(), weights.ln0Bias(), row, c, eps);
                System.arraycopy(row, 0, x, r * c, c);
            }
        }
        float[] xx = new float[m * c], xr = new float[m * c], xk = new float[m * c], xv = new float[m * c], xg = new float[m * c],
                rr = new float[m * c], kk = new float[m * c], vv = new float[m * c], gg = new float[m * c], o = new float[m * c],
                out = new float[m * c], hidden = new float[m * f], tmp = new float[c];
        for (int li = 0; li < config.numLayers(); li++) {
            Layer l = weights.layers().get(li);
            if (hooked) LanguageModel.runRowHooks(pointNames[li][0], x, rowHooks, rowPos, row);
            // time mix
            for (int i = 0; i < m; i++) layerNorm(x, i * c, l.ln1Weight(), l.ln1Bias(), xx, i * c, c, eps, tmp);
            for (int i = 0; i < m; i++) {
                float[] sx = rowState[i].shiftAtt[li];
                if (!first[i]) System.arraycopy(xx, (i - 1) * c, sx, 0, c);
                if (hooked) rowHooks[i].run(stateNames[li][0], rowPos[i], sx);
                mix(xx, i * c, sx, l.attMixR(), xr, c);
                mix(xx, i * c, sx, l.attMixK(), xk, c);
                mix(xx, i * c, sx, l.attMixV(), xv, c);
                mix(xx, i * c, sx, l.attMixG(), xg, c);
                if (i + 1 == m || first[i + 1]) System.arraycopy(xx, i * c, sx, 0, c);
            }
            Kernels.matmulNT(xr, m, l.attReceptance(), rr);
            Kernels.matmulNT(xk, m, l.attKey(), kk);
            Kernels.matmulNT(xv, m, l.attValue(), vv);
            Kernels.matmulNT(xg, m, l.attGate(), gg);
            for (int j = 0; j < m * c; j++) gg[j] = silu(gg[j]);
            java.util.Arrays.fill(o, 0f);
            for (int t = 0; t < m; t++) {
                float[] st = rowState[t].wkv[li];
                if (hooked) rowHooks[t].run(stateNames[li][1], rowPos[t], st);
                wkvRow(l, st, rr, kk, vv, gg, o, t * c);
            }
            Kernels.matmulNT(o, m, l.attOutput(), out);
            if (hooked) LanguageModel.runRowHooks(pointNames[li][1], out, rowHooks, rowPos, row);
            for (int j = 0; j < m * c; j++) x[j] += out[j];
            // channel mix
            for (int i = 0; i < m; i++) layerNorm(x, i * c, l.ln2Weight(), l.ln2Bias(), xx, i * c, c, eps, tmp);
            for (int i = 0; i < m; i++) {
                float[] sx = rowState[i].shiftFfn[li];
                if (!first[i]) System.arraycopy(xx, (i - 1) * c, sx, 0, c);
                if (hooked) rowHooks[i].run(stateNames[li][2], rowPos[i], sx);
                mix(xx, i * c, sx, l.ffnMixK(), xk, c);
                mix(xx, i * c, sx, l.ffnMixR(), xr, c);
                if (i + 1 == m || first[i + 1]) System.arraycopy(xx, i * c, sx, 0, c);
            }
            Kernels.matmulNT(xk, m, l.ffnKey(), hidden);
            for (int j = 0; j < m * f; j++) { float k = Math.max(hidden[j], 0f); hidden[j] = k * k; }
            Kernels.matmulNT(hidden, m, l.ffnValue(), out);
            Kernels.matmulNT(xr, m, l.ffnReceptance(), rr);
            for (int j = 0; j < m * c; j++) out[j] *= sigmoid(rr[j]);
            if (hooked) LanguageModel.runRowHooks(pointNames[li][2], out, rowHooks, rowPos, row);
            for (int j = 0; j < m * c; j++) x[j] += out[j];
            if (hooked) LanguageModel.runRowHooks(pointNames[li][3], x, rowHooks, rowPos, row);
        }
        for (int i = 0; i < m; i++) layerNorm(x, i * c, weights.lnOutWeight(), weights.lnOutBias(), xx, i * c, c, eps, tmp);
        float[] logits = new float[m * vocab];
        Kernels.matmulNT(xx, m, weights.head(), logits);
        for (Sequence q : batch) ((RwkvState) q.state()).position += q.tokens().length;
        return LanguageModel.splitRows(batch, logits, vocab);
    }

    /** One row of the wkv recurrence (state st updated in place) and its ln_x GroupNorm ⊙ gate, into o[rb..]. */
    private void wkvRow(Layer l, float[] st, float[] rr, float[] kk, float[] vv, float[] gg, float[] o, int rb) {
        int c = config.dModel(), heads = config.numHeads(), hs = config.headSize();
        float[] w = l.decay(), u = l.bonus();
        for (int h = 0; h < heads; h++) {
            int base = h * hs, sBase = h * hs * hs;
            for (int i = 0; i < hs; i++) {
                float ri = rr[rb + base + i], ki = kk[rb + base + i], ui = u[base + i], wi = w[base + i];
                int srow = sBase + i * hs;
                for (int j = 0; j < hs; j++) {
                    float a = ki * vv[rb + base + j];
                    float sij = st[srow + j];
                    o[rb + base + j] += ri * (ui * a + sij);
                    st[srow + j] = a + wi * sij;
                }
            }
        }
        for (int h = 0; h < heads; h++) {
            int base = rb + h * hs;
            float mean = 0f;
            for (int j = 0; j < hs; j++) mean += o[base + j];
            mean /= hs;
            float var = 0f;
            for (int j = 0; j < hs; j++) { float d = o[base + j] - mean; var += d * d; }
            var /= hs;
            float inv = (float) (1.0 / Math.sqrt(var + config.groupNormEps()));
            for (int j = 0; j < hs; j++) {
                int q = base + j, qc = q - rb;
                o[q] = ((o[q] - mean) * inv * l.lnXWeight()[qc] + l.lnXBias()[qc]) * gg[q];
            }
        }
    }

    /** Token shift of row x[xOff..]: out[xOff..] = x·μ + prev·(1−μ). */
    private static void mix(float[] x, int xOff, float[] prev, float[] mu, float[] out, int n) {
        for (int j = 0; j < n; j++) out[xOff + j] = x[xOff + j] * mu[j] + prev[j] * (1f - mu[j]);
    }

    /** {@link #layerNorm(float[], float[], float[], float[], int, float)} of one row of a block, via tmp. */
    private static void layerNorm(float[] x, int xOff, float[] w, float[] b, float[] out, int outOff, int n, float eps, float[] tmp) {
        System.arraycopy(x, xOff, tmp, 0, n);
        layerNorm(tmp, w, b, tmp, n, eps);
        System.arraycopy(tmp, 0, out, outOff, n);
    }

    /** Token shift: out = x·μ + prev·(1−μ). */
    private static void mix(float[] x, float[] prev, float[] mu, float[] out, int n) {
        for (int j = 0; j < n; j++) out[j] = x[j] * mu[j] + prev[j] * (1f - mu[j]);
    }

    static void layerNorm(float[] x, float[] w, float[] b, float[] out, int n, float eps) {
        float mean = 0f;
        for (int j = 0; j < n; j++) mean += x[j];
        mean /= n;
        float var = 0f;
        for (int j = 0; j < n; j++) { float d = x[j] - mean; var += d * d; }
        var /= n;
        float inv = (float) (1.0 / Math.sqrt(var + eps));
        for (int j = 0; j < n; j++) out[j] = (x[j] - mean) * inv * w[j] + b[j];
    }

    static float silu(float v) { return v / (1f + (float) Math.exp(-v)); }

    static float sigmoid(float v) { return 1f / (1f + (float) Math.exp(-v)); }


    // ---------------------------------------------------------------------------------------------- state

    /**
     * Per-sequence memory: for each layer the previous token's LN1 output (shift_att, [C]), the WKV matrices of all
     * heads (wkv, [H·S·S], row-major [h][i = key index][j = value index]) and the previous LN2 output (shift_ffn,
     * [C]); plus scratch buffers so that a step allocates nothing.
     */
    public static final class RwkvState implements State {
        int position;
        final float[][] shiftAtt, wkv, shiftFfn;
        private final Map<String, float[]> parts = new LinkedHashMap<>();
        final float[] x, xn, xr, xk, xv, xg, r, k, v, g, o, out, hidden, logits;

        RwkvState(Config cfg) {
            this.cfg = cfg;
            int n = cfg.numLayers(), c = cfg.dModel();
            shiftAtt = new float[n][c];
            wkv = new float[n][cfg.numHeads() * cfg.headSize() * cfg.headSize()];
            shiftFfn = new float[n][c];
            for (int i = 0; i < n; i++) {
                parts.put("blocks." + i + ".state.shift_att", shiftAtt[i]);
                parts.put("blocks." + i + ".state.wkv", wkv[i]);
                parts.put("blocks." + i + ".state.shift_ffn", shiftFfn[i]);
            }
            x = new float[c]; xn = new float[c]; xr = new float[c]; xk = new float[c]; xv = new float[c]; xg = new float[c];
            r = new float[c]; k = new float[c]; v = new float[c]; g = new float[c]; o = new float[c]; out = new float[c];
            hidden = new float[cfg.dFfn()];
            logits = new float[cfg.vocabSize()];
        }

        private RwkvState(RwkvState src, Config cfg) {
            this(cfg);
            position = src.position;
            for (int i = 0; i < shiftAtt.length; i++) {
                System.arraycopy(src.shiftAtt[i], 0, shiftAtt[i], 0, shiftAtt[i].length);
                System.arraycopy(src.wkv[i], 0, wkv[i], 0, wkv[i].length);
                System.arraycopy(src.shiftFfn[i], 0, shiftFfn[i], 0, shiftFfn[i].length);
            }
        }

        private final Config cfg;

        @Override public int position() { return position; }

        @Override public State copy() { return new RwkvState(this, cfg); }

        @Override public List<String> parts() { return List.copyOf(parts.keySet()); }

        @Override public float[] part(String name) {
            float[] p = parts.get(name);
            if (p == null) throw new IllegalArgumentException("no state part " + name);
            return p;
        }
    }

    @Override
    public State newState() {
        return new RwkvState(config);
    }

    // ---------------------------------------------------------------------------------------------- facts

    @Override public String family() { return "rwkv5"; }
    @Override public int vocabSize() { return config.vocabSize(); }
    @Override public int numLayers() { return config.numLayers(); }
    @Override public int dModel() { return config.dModel(); }
    @Override public int maxSeqLen() { return Integer.MAX_VALUE; }
    @Override public List<String> hookPoints() { return hookPoints; }

    @Override
    public void close() {
        if (owner != null) owner.close();
    }

    /** Looks up canonical (BlinkDL) names in a checkpoint, translating to the HF port's names when needed. */
    private static final class Names {
        final TensorFile file;
        final Naming naming;

        Names(TensorFile file, Naming naming) { this.file = file; this.naming = naming; }

        String spell(String name) {
            if (naming != Naming.HF) return name;
            if (name.equals("head.weight")) return name;
            String s = name.replace("emb.weight", "embeddings.weight").replace(".ln0.", ".pre_ln.")
                    .replace(".att.", ".attention.").replace(".ffn.", ".feed_forward.")
                    .replace("time_mix_k", "time_mix_key").replace("time_mix_v", "time_mix_value")
                    .replace("time_mix_r", "time_mix_receptance").replace("time_mix_g", "time_mix_gate");
            return "rwkv." + s;
        }

        boolean has(String name) { return file.has(spell(name)); }

        TensorView get(String name) { return file.get(spell(name)); }

        float[] vec(String name, int n) {
            TensorView t = get(name);
            if (t.numel() != n) throw new InvalidFileException(file.path(), "tensor '" + spell(name) + "' has " + t.numel() + " elements, expected " + n);
            return t.toFloatArray();
        }

        TensorView mat(String name, int rows, int cols) {
            TensorView t = get(name);
            if (t.numel() != (long) rows * cols || t.shape()[0] != rows)
                throw new InvalidFileException(file.path(), "tensor '" + spell(name) + "' is " + t + ", expected [" + rows + ", " + cols + "]");
            if (!t.dtype().isFloat()) throw new InvalidFileException(file.path(), "tensor '" + spell(name) + "' is " + t.dtype() + ", not a float type");
            return t.rank() == 2 ? t : t.reshape(rows, cols);
        }
    }
}
