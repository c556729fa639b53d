package vireo.lm.mamba;

import vireo.io.TensorFile;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;
import vireo.tensor.Kernels;

import java.util.ArrayList;
import java.util.List;

/**
 * Mamba-1, one token at a time (the recurrent form of the selective scan):
 * <pre>
 *   per block:  u = rms(x);  [xi, z] = Win·u
 *               window ← shift(window, xi);  xc = silu(conv(window) + b)            (causal depthwise, d_conv taps)
 *               [δ, B, C] = Wx·xc;  Δ = softplus(Wdt·δ + bdt);  A = −exp(A_log)
 *               h[c,n] ← exp(Δc·A[c,n])·h[c,n] + Δc·B[n]·xc[c];   y[c] = Σn h[c,n]·C[n] + D[c]·xc[c]
 *               x ← x + Wout·(y ⊙ silu(z))
 *   logits = head·rms(x)
 * </pre>
 * Hook points per block: resid_pre, mixer_out, resid_post; state parts {@code blocks.i.state.conv} ([d_inner][d_conv],
 * newest input last, as Hugging Face's cache) and {@code blocks.i.state.ssm} ([d_inner][d_state]).
 */
public final class Mamba implements LanguageModel {
    private final MambaConfig c;
    private final MambaWeights w;
    private final TensorFile resource;
    // small per-channel parameters, converted once
    private final float[][] norm, convW, convB, dtB, negA, dSkip;
    private final float[] finalNorm;
    private final String[][] points; // [layer][resid_pre, mixer_out, resid_post, state.conv, state.ssm]
    private final List<String> pointList = new ArrayList<>();

    public Mamba(MambaConfig config, MambaWeights weights, TensorFile resource) {
        this.c = config;
        this.w = weights;
        this.resource = resource;
        int L = c.layers();
        norm = new float[L][];
        convW = new float[L][];
        convB = new float[L][];
        dtB = new float[L][];
        negA = new float[L][];
        dSkip = new float[L][];
        points = new String[L][];
        for (int l = 0; l < L; l++) {
            norm[l] = w.norm()[l].toFloatArray();
            convW[l] = w.convWeight()[l].toFloatArray();
            convB[l] = w.convBias()[l] == null ? new float[c.dInner()] : w.convBias()[l].toFloatArray();
            dtB[l] = w.dtBias()[l].toFloatArray();
            negA[l] = w.aLog()[l].toFloatArray();
            for (int i = 0; i < negA[l].length; i++) negA[l][i] = (float) -Math.exp(negA[l][i]);
            dSkip[l] = w.d()[l].toFloatArray();
            String p = "blocks." + l + ".";
            points[l] = new String[]{p + "resid_pre", p + "mixer_out", p + "resid_post", p + "state.conv", p + "state.ssm"};
            pointList.addAll(List.of(points[l]));
        }
        finalNorm = w.finalNorm().toFloatArray();
    }

    public MambaConfig config() { return c; }

    /** The weights, for lenses decoding through the final norm and unembedding. */
    public MambaWeights weights() { return w; }

    @Override public String family() { return "mamba"; }
    @Override public int vocabSize() { return c.vocabSize(); }
    @Override public int numLayers() { return c.layers(); }
    @Override public int dModel() { return c.dModel(); }
    @Override public int maxSeqLen() { return Integer.MAX_VALUE; }
    @Override public List<String> hookPoints() { return pointList; }
    @Override public State newState() { return new RecurrentState(); }

    /** Conv windows and SSM states of every layer, plus scratch so a step allocates nothing. */
    final class RecurrentState implements State {
        int pos;
        final float[][] conv = new float[c.layers()][c.dInner() * c.dConv()];
        final float[][] ssm = new float[c.layers()][c.dInner() * c.dState()];
        final float[] x = new float[c.dModel()], u = new float[c.dModel()], xz = new float[2 * c.dInner()],
                xc = new float[c.dInner()], dbc = new float[c.dtRank() + 2 * c.dState()], dt = new float[c.dInner()],
                y = new float[c.dInner()], out = new float[c.dModel()], logits = new float[c.vocabSize()];

        @Override public int position() { return pos; }

        @Override
        public State copy() {
            RecurrentState s = new RecurrentState();
            s.pos = pos;
            for (int l = 0; l < c.layers(); l++) {
                System.arraycopy(conv[l], 0, s.conv[l], 0, conv[l].length);
                System.arraycopy(ssm[l], 0, s.ssm[l], 0, ssm[l].length);
            }
            return s;
        }

        @Override public List<String> parts() {
            List<String> p = new ArrayList<>();
            for (int l = 0; l < c.layers(); l++) { p.add(points[l][3]); p.add(points[l][4]); }
            return p;
        }

        @Override
        public float[] part(String name) {
            for (int l = 0; l < c.layers(); l++) {
                if (name.equals(points[l][3])) return conv[l];
                if (name.equals(points[l][4])) return ssm[l];
            }
            throw new IllegalArgumentException("no state part " + name + " (Mamba has blocks.i.state.conv and blocks.i.state.ssm)");
        }
    }

    @Override
    public float[] step(State state, int token, Hooks hooks) {
        RecurrentState s = (RecurrentState) state;
        if (token < 0 || token >= c.vocabSize()) throw new IllegalArgumentException("token " + token + " outside vocabulary of " + c.vocabSize());
        int pos = s.pos, d = c.dModel(), di = c.dInner(), ns = c.dState(), k = c.dConv(), r = c.dtRank();
        float[] x = s.x;
        w.embedding().readRow(token, x);
        boolean hooked = !hooks.isEmpty();
        for (int l = 0; l < c.layers(); l++) {
            if (hooked) {
                hooks.run(points[l][3], pos, s.conv[l]);
                hooks.run(points[l][4], pos, s.ssm[l]);
                hooks.run(points[l][0], pos, x);
            }
            Kernels.rmsNorm(s.u, x, norm[l], c.normEps());
            Kernels.matvec(w.inProj()[l], s.u, 0, s.xz, 0); // xz[0, di) = xi, xz[di, 2di) = z
            float[] win = s.conv[l], cw = convW[l];
            for (int ch = 0; ch < di; ch++) {
                int o = ch * k;
                System.arraycopy(win, o + 1, win, o, k - 1);
                win[o + k - 1] = s.xz[ch];
                float acc = convB[l][ch];
                for (int t = 0; t < k; t++) acc += cw[o + t] * win[o + t];
                s.xc[ch] = silu(acc);
            }
            Kernels.matvec(w.xProj()[l], s.xc, 0, s.dbc, 0);
            Kernels.matvec(w.dtProj()[l], s.dbc, 0, s.dt, 0);
            float[] h = s.ssm[l], a = negA[l];
            for (int ch = 0; ch < di; ch++) {
                float delta = softplus(s.dt[ch] + dtB[l][ch]), xv = s.xc[ch], acc = 0f;
                int o = ch * ns;
                for (int n = 0; n < ns; n++) {
                    float hn = (float) Math.exp(delta * a[o + n]) * h[o + n] + delta * s.dbc[r + n] * xv;
                    h[o + n] = hn;
                    acc += hn * s.dbc[r + ns + n];
                }
                s.y[ch] = (acc + dSkip[l][ch] * xv) * silu(s.xz[di + ch]);
            }
            Kernels.matvec(w.outProj()[l], s.y, 0, s.out, 0);
            if (hooked) hooks.run(points[l][1], pos, s.out);
            for (int i = 0; i < d; i++) x[i] += s.out[i];
            if (hooked) hooks.run(points[l][2], pos, x);
        }
        Kernels.rmsNorm(s.u, x, finalNorm, c.normEps());
        Kernels.matvec(w.head(), s.u, 0, s.logits, 0);
        s.pos++;
        return s.logits;
    }

    /**
     * The block forward: rows of all sequences packed into matrices, in/x/dt/out projections and the head as
     * matrix–matrix products; the causal conv and the selective scan run row after row over each sequence's own
     * state, firing the state points before each row as {@link #step} does before each token.
     */
    @Override
    public List<float[][]> forwardBatch(List<Sequence> batch) {
        checkBatch(batch);
        int m = 0;
        for (Sequence q : batch) m += q.tokens().length;
        int d = c.dModel(), di = c.dInner(), ns = c.dState(), k = c.dConv(), r = c.dtRank(), nd = r + 2 * ns, vocab = c.vocabSize();
        RecurrentState[] rowState = new RecurrentState[m];
        Hooks[] rowHooks = new Hooks[m];
        int[] rowPos = new int[m];
        float[] x = new float[m * d], row = new float[d];
        boolean hooked = false;
        int ri = 0;
        for (Sequence q : batch) {
            RecurrentState s = (RecurrentState) q.state();
            hooked |= !q.hooks().isEmpty();
            for (int i = 0; i < q.tokens().length; i++, ri++) {
                rowState[ri] = s;
                rowHooks[ri] = q.hooks();
                rowPos[ri] = s.pos + i;
                w.embedding().readRow(q.tokens()[i], row);
                System.arraycopy(row, 0, x, ri * d, d);
            }
        }
        float[] u = new float[m * d], xz = new float[m * 2 * di], xc = new float[m * di], dbc = new float[m * nd],
                delta = new float[m * r], dt = new float[m * di], y = new float[m * di], out = new float[m * d];
        for (int l = 0; l < c.layers(); l++) {
            if (hooked) LanguageModel.runRowHooks(points[l][0], x, rowHooks, rowPos, row);
            for (int i = 0; i < m; i++) Kernels.rmsNorm(u, i * d, x, i * d, d, norm[l], c.normEps());
            Kernels.matmulNT(u, m, w.inProj()[l], xz);
            for (int i = 0; i < m; i++) {
                float[] win = rowState[i].conv[l];
                if (hooked) rowHooks[i].run(points[l][3], rowPos[i], win);
                convRow(l, win, xz, i * 2 * di, xc, i * di);
            }
            Kernels.matmulNT(xc, m, w.xProj()[l], dbc);
            for (int i = 0; i < m; i++) System.arraycopy(dbc, i * nd, delta, i * r, r);
            Kernels.matmulNT(delta, m, w.dtProj()[l], dt);
            for (int i = 0; i < m; i++) {
                float[] h = rowState[i].ssm[l];
                if (hooked) rowHooks[i].run(points[l][4], rowPos[i], h);
                scanRow(l, h, dt, dbc, i * nd, xc, xz, i * 2 * di, y, i * di);
            }
            Kernels.matmulNT(y, m, w.outProj()[l], out);
            if (hooked) LanguageModel.runRowHooks(points[l][1], out, rowHooks, rowPos, row);
            for (int i = 0; i < m * d; i++) x[i] += out[i];
            if (hooked) LanguageModel.runRowHooks(points[l][2], x, rowHooks, rowPos, row);
        }
        for (int i = 0; i < m; i++) Kernels.rmsNorm(u, i * d, x, i * d, d, finalNorm, c.normEps());
        float[] logits = new float[m * vocab];
        Kernels.matmulNT(u, m, w.head(), logits);
        for (Sequence q : batch) ((RecurrentState) q.state()).pos += q.tokens().length;
        return LanguageModel.splitRows(batch, logits, vocab);
    }

    /** One row of the causal depthwise conv: shifts xz's input half into the window, xc = silu(conv + b). */
    private void convRow(int l, float[] win, float[] xz, int xo, float[] xc, int co) {
        int di = c.dInner(), k = c.dConv();
        float[] cw = convW[l];
        for (int ch = 0; ch < di; ch++) {
            int o = ch * k;
            System.arraycopy(win, o + 1, win, o, k - 1);
            win[o + k - 1] = xz[xo + ch];
            float acc = convB[l][ch];
            for (int t = 0; t < k; t++) acc += cw[o + t] * win[o + t];
            xc[co + ch] = silu(acc);
        }
    }

    /** One row of the selective scan: h updated in place, y[yo..] = (C·h + D·xc) ⊙ silu(z). */
    private void scanRow(int l, float[] h, float[] dt, float[] dbc, int bo, float[] xc, float[] xz, int xo, float[] y, int yo) {
        int di = c.dInner(), ns = c.dState(), r = c.dtRank();
        float[] a = negA[l];
        for (int ch = 0; ch < di; ch++) {
            float dl = softplus(dt[yo + ch] + dtB[l][ch]), xv = xc[yo + ch], acc = 0f;
            int o = ch * ns;
            for (int n = 0; n < ns; n++) {
                float hn = (float) Math.exp(dl * a[o + n]) * h[o + n] + dl * dbc[bo + r + n] * xv;
                h[o + n] = hn;
                acc += hn * dbc[bo + r + ns + n];
            }
            y[yo + ch] = (acc + dSkip[l][ch] * xv) * silu(xz[xo + di + ch]);
        }
    }

    private static float silu(float v) { return v / (1f + (float) Math.exp(-v)); }

    /** PyTorch's softplus (threshold 20: linear above it). */
    private static float softplus(float v) { return v > 20f ? v : (float) Math.log1p(Math.exp(v)); }


    @Override
    public void close() {
        if (resource != null) resource.close();
    }
}
