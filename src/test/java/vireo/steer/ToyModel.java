package vireo.steer;

import vireo.lm.Hooks;
import vireo.lm.LanguageModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small random recurrent residual model publishing Vireo's hook points (resid_pre, mixer_out, mlp_out,
 * resid_post) and two state parts per layer (h of size d, c of size d/2), so steering can be tested without a
 * real model. Per layer: h ← tanh(A h + B x), c ← tanh(C c + D x), x += M h + N c, x += W2 relu(W1 x).
 */
public final class ToyModel implements LanguageModel {
    final int vocab, d, layers;
    final float[][] emb, unembed;
    final float[][][] a, b, c, dm, m, n, w1, w2;

    public ToyModel(long seed, int vocab, int d, int layers) {
        this.vocab = vocab; this.d = d; this.layers = layers;
        Random r = new Random(seed);
        emb = mat(r, vocab, d, 1.0);
        unembed = mat(r, vocab, d, 1.0 / Math.sqrt(d));
        a = new float[layers][][]; b = new float[layers][][]; c = new float[layers][][]; dm = new float[layers][][];
        m = new float[layers][][]; n = new float[layers][][]; w1 = new float[layers][][]; w2 = new float[layers][][];
        for (int l = 0; l < layers; l++) {
            a[l] = mat(r, d, d, 0.5 / Math.sqrt(d)); b[l] = mat(r, d, d, 1 / Math.sqrt(d));
            c[l] = mat(r, d / 2, d / 2, 0.5 / Math.sqrt(d)); dm[l] = mat(r, d / 2, d, 1 / Math.sqrt(d));
            m[l] = mat(r, d, d, 1 / Math.sqrt(d)); n[l] = mat(r, d, d / 2, 1 / Math.sqrt(d));
            w1[l] = mat(r, 2 * d, d, 1 / Math.sqrt(d)); w2[l] = mat(r, d, 2 * d, 1 / Math.sqrt(2 * d));
        }
    }

    static float[][] mat(Random r, int rows, int cols, double std) {
        float[][] w = new float[rows][cols];
        for (float[] row : w) for (int j = 0; j < cols; j++) row[j] = (float) (r.nextGaussian() * std);
        return w;
    }

    static float[] mv(float[][] w, float[] x) {
        float[] y = new float[w.length];
        for (int i = 0; i < w.length; i++) { float s = 0; for (int j = 0; j < x.length; j++) s += w[i][j] * x[j]; y[i] = s; }
        return y;
    }

    final class ToyState implements State {
        int pos;
        final float[][] h = new float[layers][d], cc = new float[layers][d / 2];

        @Override public int position() { return pos; }

        @Override public State copy() {
            ToyState s = new ToyState();
            s.pos = pos;
            for (int l = 0; l < layers; l++) { s.h[l] = h[l].clone(); s.cc[l] = cc[l].clone(); }
            return s;
        }

        @Override public List<String> parts() {
            List<String> p = new ArrayList<>();
            for (int l = 0; l < layers; l++) { p.add("blocks." + l + ".state.h"); p.add("blocks." + l + ".state.c"); }
            return p;
        }

        @Override public float[] part(String name) {
            for (int l = 0; l < layers; l++) {
                if (name.equals("blocks." + l + ".state.h")) return h[l];
                if (name.equals("blocks." + l + ".state.c")) return cc[l];
            }
            throw new IllegalArgumentException("no state part " + name);
        }
    }

    @Override public String family() { return "toy"; }
    @Override public int vocabSize() { return vocab; }
    @Override public int numLayers() { return layers; }
    @Override public int dModel() { return d; }
    @Override public int maxSeqLen() { return Integer.MAX_VALUE; }
    @Override public State newState() { return new ToyState(); }

    @Override
    public float[] step(State state, int token, Hooks hooks) {
        ToyState s = (ToyState) state;
        int p = s.pos;
        float[] x = emb[token].clone();
        for (int l = 0; l < layers; l++) {
            hooks.run("blocks." + l + ".state.h", p, s.h[l]);
            hooks.run("blocks." + l + ".state.c", p, s.cc[l]);
            hooks.run("blocks." + l + ".resid_pre", p, x);
            float[] ah = mv(a[l], s.h[l]), bx = mv(b[l], x), cc = mv(c[l], s.cc[l]), dx = mv(dm[l], x);
            for (int i = 0; i < d; i++) s.h[l][i] = (float) Math.tanh(ah[i] + bx[i]);
            for (int i = 0; i < d / 2; i++) s.cc[l][i] = (float) Math.tanh(cc[i] + dx[i]);
            float[] mix = mv(m[l], s.h[l]), nc = mv(n[l], s.cc[l]);
            for (int i = 0; i < d; i++) mix[i] += nc[i];
            hooks.run("blocks." + l + ".mixer_out", p, mix);
            for (int i = 0; i < d; i++) x[i] += mix[i];
            float[] hid = mv(w1[l], x);
            for (int i = 0; i < hid.length; i++) hid[i] = Math.max(0, hid[i]);
            float[] mlp = mv(w2[l], hid);
            hooks.run("blocks." + l + ".mlp_out", p, mlp);
            for (int i = 0; i < d; i++) x[i] += mlp[i];
            hooks.run("blocks." + l + ".resid_post", p, x);
        }
        s.pos++;
        return mv(unembed, x);
    }

    @Override
    public List<String> hookPoints() {
        List<String> out = new ArrayList<>();
        for (int l = 0; l < layers; l++)
            for (String k : List.of("state.h", "state.c", "resid_pre", "mixer_out", "mlp_out", "resid_post"))
                out.add("blocks." + l + "." + k);
        return out;
    }
}
