package vireo.lm.llama;

import vireo.io.TensorFile;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;
import vireo.tensor.Kernels;
import vireo.tensor.Parallel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Llama forward pass, one token at a time with a KV cache:
 * <pre>
 *   x   = embed[token]
 *   per block:  h = x + Wo·Attn(RoPE(Wq·rms(x)), RoPE(Wk·rms(x)), Wv·rms(x))        (grouped-query attention)
 *               x = h + Wdown·(silu(Wgate·rms(h)) ⊙ Wup·rms(h))
 *   logits = Wcls·rms(x)
 * </pre>
 * Hook points per block: resid_pre, attn_out, mlp_out, resid_post.
 */
public final class Llama implements LanguageModel {
    private final LlamaConfig c;
    private final LlamaWeights w;
    private final TensorFile resource; // the mapped file(s) the weights point into
    private final float[][] normAtt, normFfn;
    private final float[] normFinal;
    private final float[] cos, sin; // [seqLen][headSize/2]
    private final String[][] points; // [layer][resid_pre, attn_out, mlp_out, resid_post]
    private final List<String> pointList = new ArrayList<>();

    public Llama(LlamaConfig config, LlamaWeights weights, TensorFile resource) {
        this.c = config;
        this.w = weights;
        this.resource = resource;
        normAtt = new float[c.layers()][];
        normFfn = new float[c.layers()][];
        for (int l = 0; l < c.layers(); l++) {
            normAtt[l] = w.attnNorm()[l].toFloatArray(); // norms are tiny: keep them as plain arrays
            normFfn[l] = w.ffnNorm()[l].toFloatArray();
        }
        normFinal = w.finalNorm().toFloatArray();
        int half = c.headSize() / 2;
        int tablePositions = Math.min(c.seqLen(), 1 << 16);
        cos = new float[tablePositions * half];
        sin = new float[tablePositions * half];
        for (int p = 0; p < tablePositions; p++)
            for (int i = 0; i < half; i++) {
                double a = p * c.invFreq(i);
                cos[p * half + i] = (float) Math.cos(a);
                sin[p * half + i] = (float) Math.sin(a);
            }
        points = new String[c.layers()][];
        for (int l = 0; l < c.layers(); l++) {
            points[l] = new String[]{"blocks." + l + ".resid_pre", "blocks." + l + ".attn_out", "blocks." + l + ".mlp_out", "blocks." + l + ".resid_post"};
            pointList.addAll(List.of(points[l]));
        }
    }

    public LlamaConfig config() { return c; }

    /** The mapped weight views (read by the trainable model in vireo.lm.train and by lenses' decoders). */
    public LlamaWeights weights() { return w; }

    @Override public String family() { return "llama"; }
    @Override public int vocabSize() { return c.vocabSize(); }
    @Override public int numLayers() { return c.layers(); }
    @Override public int dModel() { return c.dim(); }
    @Override public int maxSeqLen() { return c.seqLen(); }
    @Override public List<String> hookPoints() { return pointList; }
    @Override public State newState() { return new KvCache(); }

    /** Keys and values of every past position per layer, plus scratch buffers so a step allocates nothing. */
    final class KvCache implements State {
        int pos;
        float[][] keys = new float[c.layers()][], values = new float[c.layers()][];
        int capacity;
        final float[] x = new float[c.dim()], xb = new float[c.dim()], q = new float[c.dim()], att = new float[c.dim()],
                out = new float[c.dim()], k = new float[c.kvDim()], v = new float[c.kvDim()],
                h1 = new float[c.hiddenDim()], h3 = new float[c.hiddenDim()], logits = new float[c.vocabSize()];
        float[] scores = new float[16];

        KvCache() { grow(Math.min(c.seqLen(), 64)); }

        void grow(int newCapacity) {
            for (int l = 0; l < c.layers(); l++) {
                keys[l] = keys[l] == null ? new float[newCapacity * c.kvDim()] : Arrays.copyOf(keys[l], newCapacity * c.kvDim());
                values[l] = values[l] == null ? new float[newCapacity * c.kvDim()] : Arrays.copyOf(values[l], newCapacity * c.kvDim());
            }
            capacity = newCapacity;
            if (scores.length < newCapacity) scores = new float[newCapacity];
        }

        @Override public int position() { return pos; }

        @Override
        public State copy() {
            KvCache s = new KvCache();
            s.grow(capacity);
            for (int l = 0; l < c.layers(); l++) {
                System.arraycopy(keys[l], 0, s.keys[l], 0, pos * c.kvDim());
                System.arraycopy(values[l], 0, s.values[l], 0, pos * c.kvDim());
            }
            s.pos = pos;
            return s;
        }
    }

    @Override
    public float[] step(State state, int token, Hooks hooks) {
        KvCache s = (KvCache) state;
        int pos = s.pos;
        if (pos >= c.seqLen()) throw new IllegalStateException("context full: the model takes at most " + c.seqLen() + " positions");
        if (token < 0 || token >= c.vocabSize()) throw new IllegalArgumentException("token " + token + " outside vocabulary of " + c.vocabSize());
        if (pos >= s.capacity) s.grow(Math.min(c.seqLen(), s.capacity * 2));
        int dim = c.dim(), kvDim = c.kvDim(), hs = c.headSize(), hidden = c.hiddenDim();
        float[] x = s.x, xb = s.xb;
        w.tokenEmbedding().readRow(token, x);
        boolean hooked = !hooks.isEmpty();
        for (int l = 0; l < c.layers(); l++) {
            if (hooked) hooks.run(points[l][0], pos, x);
            Kernels.rmsNorm(xb, x, normAtt[l], c.normEps());
            Kernels.matvec(w.wq()[l], xb, 0, s.q, 0);
            Kernels.matvec(w.wk()[l], xb, 0, s.k, 0);
            Kernels.matvec(w.wv()[l], xb, 0, s.v, 0);
            rope(s.q, 0, c.heads(), pos);
            rope(s.k, 0, c.kvHeads(), pos);
            System.arraycopy(s.k, 0, s.keys[l], pos * kvDim, kvDim);
            System.arraycopy(s.v, 0, s.values[l], pos * kvDim, kvDim);
            attention(s.keys[l], s.values[l], s.q, 0, s.att, 0, s.scores, pos);
            Kernels.matvec(w.wo()[l], s.att, 0, s.out, 0);
            if (hooked) hooks.run(points[l][1], pos, s.out);
            for (int i = 0; i < dim; i++) x[i] += s.out[i];

            Kernels.rmsNorm(xb, x, normFfn[l], c.normEps());
            Kernels.matvec(w.gate()[l], xb, 0, s.h1, 0);
            Kernels.matvec(w.up()[l], xb, 0, s.h3, 0);
            for (int i = 0; i < hidden; i++) {
                float g = s.h1[i];
                s.h1[i] = g / (1f + (float) Math.exp(-g)) * s.h3[i];
            }
            Kernels.matvec(w.down()[l], s.h1, 0, s.out, 0);
            if (hooked) hooks.run(points[l][2], pos, s.out);
            for (int i = 0; i < dim; i++) x[i] += s.out[i];
            if (hooked) hooks.run(points[l][3], pos, x);
        }
        Kernels.rmsNorm(xb, x, normFinal, c.normEps());
        Kernels.matvec(w.classifier(), xb, 0, s.logits, 0);
        s.pos++;
        return s.logits;
    }

    /** Rotates each head's vector by position-dependent angles, pairing elements as the checkpoint expects. */
    private void rope(float[] v, int off, int nHeads, int pos) {
        int hs = c.headSize(), half = hs / 2, t = pos * half;
        for (int h = 0; h < nHeads; h++) {
            int o = off + h * hs;
            for (int i = 0; i < half; i++) {
                int a, b;
                if (c.ropeInterleaved()) { a = o + 2 * i; b = a + 1; } else { a = o + i; b = o + i + half; }
                float fc = cos[t + i], fs = sin[t + i], va = v[a], vb = v[b];
                v[a] = va * fc - vb * fs;
                v[b] = va * fs + vb * fc;
            }
        }
    }

    /** Causal softmax attention of each query head (q at qOff) over the cached keys 0..pos of its key/value group. */
    private void attention(float[] keys, float[] values, float[] q, int qOff, float[] att, int attOff, float[] sc, int pos) {
        int hs = c.headSize(), kvDim = c.kvDim(), group = c.heads() / c.kvHeads();
        float scale = (float) (1.0 / Math.sqrt(hs));
        for (int h = 0; h < c.heads(); h++) {
            int qo = qOff + h * hs, ao = attOff + h * hs, ko = (h / group) * hs;
            float max = Float.NEGATIVE_INFINITY;
            for (int t = 0; t <= pos; t++) {
                float d = Kernels.dot(q, qo, keys, t * kvDim + ko, hs) * scale;
                sc[t] = d;
                if (d > max) max = d;
            }
            float sum = 0f;
            for (int t = 0; t <= pos; t++) sum += sc[t] = (float) Math.exp(sc[t] - max);
            float inv = 1f / sum;
            Arrays.fill(att, ao, ao + hs, 0f);
            for (int t = 0; t <= pos; t++) {
                float a = sc[t] * inv;
                int vo = t * kvDim + ko;
                for (int i = 0; i < hs; i++) att[ao + i] += a * values[vo + i];
            }
        }
    }

    /**
     * Attention of a block's rows, per sequence and head, as two matrix products: scores = Q·Kᵀ over every cached
     * position (the block's own keys are in the cache already), a causal mask (row i sees positions ≤ its own),
     * softmax, then P·V. Heads run in parallel; each writes only its own columns of att.
     */
    private void blockAttention(List<Sequence> batch, KvCache[] rowState, int[] rowPos, float[] qm, float[] att, int l) {
        int dim = c.dim(), hs = c.headSize(), kvDim = c.kvDim(), group = c.heads() / c.kvHeads(), heads = c.heads();
        float scale = (float) (1.0 / Math.sqrt(hs));
        int r0 = 0;
        for (Sequence q : batch) {
            int len = q.tokens().length, first = r0;
            if (len == 0) continue;
            KvCache s = rowState[first];
            int p0 = rowPos[first], total = p0 + len;
            float[] keys = s.keys[l], values = s.values[l];
            Parallel.forRange(heads, h -> {
                int ko = (h / group) * hs;
                float[] sc = new float[len * total], o = new float[len * hs];
                Kernels.matmulStrided(qm, first * dim + h * hs, dim, 1, keys, ko, 1, kvDim, sc, 0, len, total, hs, false);
                for (int i = 0; i < len; i++) {
                    int base = i * total, visible = p0 + i + 1;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int t = 0; t < visible; t++) { float d = sc[base + t] * scale; sc[base + t] = d; if (d > max) max = d; }
                    float sum = 0f;
                    for (int t = 0; t < visible; t++) sum += sc[base + t] = (float) Math.exp(sc[base + t] - max);
                    float inv = 1f / sum;
                    for (int t = 0; t < visible; t++) sc[base + t] *= inv;
                    java.util.Arrays.fill(sc, base + visible, base + total, 0f);
                }
                Kernels.matmulStrided(sc, 0, total, 1, values, ko, kvDim, 1, o, 0, len, hs, total, false);
                for (int i = 0; i < len; i++) System.arraycopy(o, i * hs, att, (first + i) * dim + h * hs, hs);
            });
            r0 += len;
        }
    }

    /**
     * The block forward: all rows of all sequences packed into one [m, dim] matrix, every projection one
     * matrix–matrix product, attention per row over its own sequence's cache (which by then holds the keys and
     * values of every earlier row of the block: the causal mask), hooks per row with that row's sequence's hooks.
     */
    @Override
    public List<float[][]> forwardBatch(List<Sequence> batch) {
        checkBatch(batch);
        int m = 0;
        for (Sequence q : batch) m += q.tokens().length;
        int dim = c.dim(), kvDim = c.kvDim(), hidden = c.hiddenDim(), vocab = c.vocabSize();
        KvCache[] rowState = new KvCache[m];
        Hooks[] rowHooks = new Hooks[m];
        int[] rowPos = new int[m];
        float[] x = new float[m * dim];
        boolean hooked = false;
        int r = 0;
        for (Sequence q : batch) {
            KvCache s = (KvCache) q.state();
            int need = s.pos + q.tokens().length;
            if (need > s.capacity) s.grow(Math.min(c.seqLen(), Math.max(need, s.capacity * 2)));
            hooked |= !q.hooks().isEmpty();
            float[] row = new float[dim];
            for (int i = 0; i < q.tokens().length; i++, r++) {
                rowState[r] = s;
                rowHooks[r] = q.hooks();
                rowPos[r] = s.pos + i;
                w.tokenEmbedding().readRow(q.tokens()[i], row);
                System.arraycopy(row, 0, x, r * dim, dim);
            }
        }
        float[] xb = new float[m * dim], qm = new float[m * dim], km = new float[m * kvDim], vm = new float[m * kvDim],
                att = new float[m * dim], out = new float[m * dim], h1 = new float[m * hidden], h3 = new float[m * hidden];
        float[] hookRow = hooked ? new float[dim] : null;
        for (int l = 0; l < c.layers(); l++) {
            if (hooked) LanguageModel.runRowHooks(points[l][0], x, rowHooks, rowPos, hookRow);
            for (int i = 0; i < m; i++) Kernels.rmsNorm(xb, i * dim, x, i * dim, dim, normAtt[l], c.normEps());
            Kernels.matmulNT(xb, m, w.wq()[l], qm);
            Kernels.matmulNT(xb, m, w.wk()[l], km);
            Kernels.matmulNT(xb, m, w.wv()[l], vm);
            for (int i = 0; i < m; i++) {
                rope(qm, i * dim, c.heads(), rowPos[i]);
                rope(km, i * kvDim, c.kvHeads(), rowPos[i]);
                System.arraycopy(km, i * kvDim, rowState[i].keys[l], rowPos[i] * kvDim, kvDim);
                System.arraycopy(vm, i * kvDim, rowState[i].values[l], rowPos[i] * kvDim, kvDim);
            }
            blockAttention(batch, rowState, rowPos, qm, att, l);
            Kernels.matmulNT(att, m, w.wo()[l], out);
            if (hooked) LanguageModel.runRowHooks(points[l][1], out, rowHooks, rowPos, hookRow);
            for (int i = 0; i < m * dim; i++) x[i] += out[i];

            for (int i = 0; i < m; i++) Kernels.rmsNorm(xb, i * dim, x, i * dim, dim, normFfn[l], c.normEps());
            Kernels.matmulNT(xb, m, w.gate()[l], h1);
            Kernels.matmulNT(xb, m, w.up()[l], h3);
            for (int i = 0; i < m * hidden; i++) {
                float g = h1[i];
                h1[i] = g / (1f + (float) Math.exp(-g)) * h3[i];
            }
            Kernels.matmulNT(h1, m, w.down()[l], out);
            if (hooked) LanguageModel.runRowHooks(points[l][2], out, rowHooks, rowPos, hookRow);
            for (int i = 0; i < m * dim; i++) x[i] += out[i];
            if (hooked) LanguageModel.runRowHooks(points[l][3], x, rowHooks, rowPos, hookRow);
        }
        for (int i = 0; i < m; i++) Kernels.rmsNorm(xb, i * dim, x, i * dim, dim, normFinal, c.normEps());
        float[] logits = new float[m * vocab];
        Kernels.matmulNT(xb, m, w.classifier(), logits);
        for (Sequence q : batch) ((KvCache) q.state()).pos += q.tokens().length;
        return LanguageModel.splitRows(batch, logits, vocab);
    }

    @Override
    public void close() {
        if (resource != null) resource.close();
    }
}
