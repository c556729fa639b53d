package vireo.steer;

import vireo.lm.Hooks;
import vireo.lm.LanguageModel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only stand-in for a llama2.c model (stories260K) and its tokenizer, used by the steering experiments until
 * the Llama helper's vireo.lm loader is merged. Follows llama2.c's run.c: RMSNorm (eps 1e-5), RoPE on
 * interleaved pairs, grouped-query attention, SwiGLU. Publishes blocks.{i}.resid_pre/attn_out/mlp_out/resid_post.
 */
final class Llama2cStandIn implements LanguageModel {
    final int dim, hidden, layers, heads, kvHeads, vocab, seqLen, headSize, kvDim;
    final float[][] emb, cls, rmsAtt, rmsFfn, wq, wk, wv, wo, w1, w2, w3;
    final float[] rmsFinal;
    final List<String> points = new ArrayList<>();

    Llama2cStandIn(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        dim = b.getInt(); hidden = b.getInt(); layers = b.getInt(); heads = b.getInt(); kvHeads = b.getInt();
        int v = b.getInt(); seqLen = b.getInt();
        boolean shared = v > 0; vocab = Math.abs(v);
        headSize = dim / heads; kvDim = dim * kvHeads / heads;
        emb = read(b, vocab, dim);
        rmsAtt = read(b, layers, dim);
        wq = read(b, layers, dim * dim); wk = read(b, layers, kvDim * dim); wv = read(b, layers, kvDim * dim);
        wo = read(b, layers, dim * dim);
        rmsFfn = read(b, layers, dim);
        w1 = read(b, layers, hidden * dim); w2 = read(b, layers, dim * hidden); w3 = read(b, layers, hidden * dim);
        rmsFinal = read(b, 1, dim)[0];
        b.position(b.position() + seqLen * headSize / 2 * 4 * 2);  // freq_cis_real, freq_cis_imag
        cls = shared ? emb : read(b, vocab, dim);
        for (int l = 0; l < layers; l++)
            for (String k : List.of("resid_pre", "attn_out", "mlp_out", "resid_post")) points.add("blocks." + l + "." + k);
    }

    static float[][] read(ByteBuffer b, int rows, int cols) {
        float[][] w = new float[rows][cols];
        for (float[] r : w) for (int j = 0; j < cols; j++) r[j] = b.getFloat();
        return w;
    }

    /** y[out] = W[out×in] x */
    static void matvec(float[] w, float[] x, float[] y, int in, int out) {
        for (int i = 0; i < out; i++) { float s = 0; int o = i * in; for (int j = 0; j < in; j++) s += w[o + j] * x[j]; y[i] = s; }
    }

    static float[] rms(float[] x, float[] w) {
        double ss = 0;
        for (float v : x) ss += v * v;
        float inv = (float) (1 / Math.sqrt(ss / x.length + 1e-5));
        float[] o = new float[x.length];
        for (int i = 0; i < x.length; i++) o[i] = w[i] * x[i] * inv;
        return o;
    }

    final class KvState implements State {
        int pos;
        final float[][][] k = new float[layers][][], v = new float[layers][][];
        KvState() { for (int l = 0; l < layers; l++) { k[l] = new float[seqLen][]; v[l] = new float[seqLen][]; } }
        @Override public int position() { return pos; }
        @Override public State copy() {
            KvState s = new KvState();
            s.pos = pos;
            for (int l = 0; l < layers; l++) { s.k[l] = k[l].clone(); s.v[l] = v[l].clone(); }  // rows are never mutated
            return s;
        }
    }

    @Override public String family() { return "llama2c-standin"; }
    @Override public int vocabSize() { return vocab; }
    @Override public int numLayers() { return layers; }
    @Override public int dModel() { return dim; }
    @Override public int maxSeqLen() { return seqLen; }
    @Override public State newState() { return new KvState(); }
    @Override public List<String> hookPoints() { return points; }

    @Override
    public float[] step(State state, int token, Hooks hooks) {
        KvState s = (KvState) state;
        int pos = s.pos;
        float[] x = emb[token].clone();
        float[] q = new float[dim], att = new float[dim], o = new float[dim], h1 = new float[hidden], h3 = new float[hidden];
        for (int l = 0; l < layers; l++) {
            hooks.run("blocks." + l + ".resid_pre", pos, x);
            float[] xb = rms(x, rmsAtt[l]);
            float[] k = new float[kvDim], v = new float[kvDim];
            matvec(wq[l], xb, q, dim, dim); matvec(wk[l], xb, k, dim, kvDim); matvec(wv[l], xb, v, dim, kvDim);
            for (int i = 0; i < dim; i += 2) {
                int hd = i % headSize;
                double freq = 1.0 / Math.pow(10000.0, hd / (double) headSize), val = pos * freq;
                float fcr = (float) Math.cos(val), fci = (float) Math.sin(val);
                float q0 = q[i], q1 = q[i + 1];
                q[i] = q0 * fcr - q1 * fci; q[i + 1] = q0 * fci + q1 * fcr;
                if (i < kvDim) { float k0 = k[i], k1 = k[i + 1]; k[i] = k0 * fcr - k1 * fci; k[i + 1] = k0 * fci + k1 * fcr; }
            }
            s.k[l][pos] = k; s.v[l][pos] = v;
            int kvMul = heads / kvHeads;
            java.util.Arrays.fill(att, 0);
            for (int h = 0; h < heads; h++) {
                int qo = h * headSize, ko = (h / kvMul) * headSize;
                double[] sc = new double[pos + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int t = 0; t <= pos; t++) {
                    float d = 0;
                    for (int i = 0; i < headSize; i++) d += q[qo + i] * s.k[l][t][ko + i];
                    sc[t] = d / Math.sqrt(headSize);
                    max = Math.max(max, sc[t]);
                }
                double z = 0;
                for (int t = 0; t <= pos; t++) z += sc[t] = Math.exp(sc[t] - max);
                for (int t = 0; t <= pos; t++) {
                    float a = (float) (sc[t] / z);
                    for (int i = 0; i < headSize; i++) att[qo + i] += a * s.v[l][t][ko + i];
                }
            }
            matvec(wo[l], att, o, dim, dim);
            hooks.run("blocks." + l + ".attn_out", pos, o);
            for (int i = 0; i < dim; i++) x[i] += o[i];
            xb = rms(x, rmsFfn[l]);
            matvec(w1[l], xb, h1, dim, hidden); matvec(w3[l], xb, h3, dim, hidden);
            for (int i = 0; i < hidden; i++) { float a = h1[i]; h1[i] = (float) (a / (1 + Math.exp(-a))) * h3[i]; }
            float[] m = new float[dim];
            matvec(w2[l], h1, m, hidden, dim);
            hooks.run("blocks." + l + ".mlp_out", pos, m);
            for (int i = 0; i < dim; i++) x[i] += m[i];
            hooks.run("blocks." + l + ".resid_post", pos, x);
        }
        float[] xf = rms(x, rmsFinal), logits = new float[vocab];
        for (int i = 0; i < vocab; i++) { float d = 0; for (int j = 0; j < dim; j++) d += cls[i][j] * xf[j]; logits[i] = d; }
        s.pos++;
        return logits;
    }

    /** llama2.c's tokenizer (tok512.bin): scores + pieces, BPE merges by best score, byte fallback, BOS = 1. */
    static final class Tok implements TextCodec {
        final String[] pieces;
        final float[] scores;
        final Map<String, Integer> ids = new HashMap<>();

        Tok(Path file, int vocab) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            b.getInt();
            pieces = new String[vocab]; scores = new float[vocab];
            for (int i = 0; i < vocab; i++) {
                scores[i] = b.getFloat();
                byte[] s = new byte[b.getInt()];
                b.get(s);
                pieces[i] = new String(s, StandardCharsets.UTF_8);
                ids.putIfAbsent(pieces[i], i);
            }
        }

        @Override
        public int[] encode(String text) {
            List<Integer> t = new ArrayList<>();
            if (!text.isEmpty()) t.add(ids.get(" "));
            text.codePoints().forEach(cp -> {
                Integer id = ids.get(new String(Character.toChars(cp)));
                if (id != null) t.add(id);
                else for (byte by : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) t.add((by & 0xff) + 3);
            });
            while (true) {
                float best = -1e10f; int bi = -1, bid = -1;
                for (int i = 0; i + 1 < t.size(); i++) {
                    Integer id = ids.get(pieces[t.get(i)] + pieces[t.get(i + 1)]);
                    if (id != null && scores[id] > best) { best = scores[id]; bi = i; bid = id; }
                }
                if (bi < 0) break;
                t.set(bi, bid);
                t.remove(bi + 1);
            }
            int[] out = new int[t.size() + 1];
            out[0] = 1;
            for (int i = 0; i < t.size(); i++) out[i + 1] = t.get(i);
            return out;
        }

        @Override
        public String decode(int[] tokens) {
            StringBuilder sb = new StringBuilder();
            int prev = -1;
            for (int id : tokens) {
                String p = pieces[id];
                if (prev == 1 && p.startsWith(" ")) p = p.substring(1);
                if (p.startsWith("<0x") && p.endsWith(">") && p.length() == 6) p = String.valueOf((char) Integer.parseInt(p.substring(3, 5), 16));
                if (id > 2) sb.append(p);
                prev = id;
            }
            return sb.toString();
        }
    }
}
