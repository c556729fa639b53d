package vireo.lm.train;

import vireo.lm.llama.Llama;
import vireo.lm.llama.LlamaConfig;
import vireo.lm.llama.LlamaWeights;
import vireo.tensor.Activations;
import vireo.tensor.Attention;
import vireo.tensor.Losses;
import vireo.tensor.Ops;
import vireo.tensor.Tensor;
import vireo.tensor.TensorView;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The Llama forward over a batch of token rows, recorded on the autograd tape (the same equations as
 * {@link Llama}, a whole sequence at once):
 * <pre>
 *   x = embed[tokens]                                                  [batch·T, dim]
 *   per block:  h = x + Wo·causalAttn(RoPE(Wq·rms(x)), RoPE(Wk·rms(x)), Wv·rms(x))
 *               x = h + Wdown·(silu(Wgate·rms(h)) ⊙ Wup·rms(h))
 *   logits = Wcls·rms(x)
 * </pre>
 * Either every weight trains (full fine-tuning; {@code lora == null}) or the base is frozen and the targeted
 * projections carry LoRA adapters. Parameter names are Hugging Face's (model.layers.0.self_attn.q_proj.weight).
 * Rows are padded at the end to the longest; give padded positions target −1 so the loss ignores them.
 */
public final class TrainableLlama {
    private final LlamaConfig c;
    private final Lora lora;
    private final Tensor embed, finalNorm, classifier;
    private final Tensor[] attnNorm, ffnNorm;
    private final Projection[][] proj; // [layer][q, k, v, o, gate, up, down]
    private final float[] cos, sin;
    private final Map<String, Tensor> trainable = new LinkedHashMap<>();
    private boolean training = true;
    private SplittableRandom dropoutRng;

    static final String[] MODULES = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};

    /** A projection y = W·x, optionally with a LoRA pair; names as PEFT writes them. */
    final class Projection {
        final String name;
        final Tensor w, a, b;

        Projection(String name, Tensor w, Tensor a, Tensor b) { this.name = name; this.w = w; this.a = a; this.b = b; }

        Tensor apply(Tensor x) {
            Tensor y = Ops.linear(x, w, null);
            if (a == null) return y;
            Tensor in = x;
            if (training && lora.dropout() > 0) in = dropout(x, lora.dropout());
            return Ops.add(y, Ops.mul(Ops.linear(Ops.linear(in, a, null), b, null), (float) lora.scale()));
        }
    }

    public TrainableLlama(Llama model, Lora lora) {
        this.c = model.config();
        this.lora = lora;
        LlamaWeights w = model.weights();
        boolean full = lora == null;
        embed = param("model.embed_tokens.weight", w.tokenEmbedding(), full);
        classifier = c.tiedEmbeddings() || w.classifier() == w.tokenEmbedding() ? embed : param("lm_head.weight", w.classifier(), full);
        finalNorm = param("model.norm.weight", w.finalNorm(), full);
        int L = c.layers();
        attnNorm = new Tensor[L];
        ffnNorm = new Tensor[L];
        proj = new Projection[L][];
        SplittableRandom rng = new SplittableRandom(lora == null ? 0 : lora.seed());
        for (int l = 0; l < L; l++) {
            String p = "model.layers." + l + ".";
            attnNorm[l] = param(p + "input_layernorm.weight", w.attnNorm()[l], full);
            ffnNorm[l] = param(p + "post_attention_layernorm.weight", w.ffnNorm()[l], full);
            TensorView[] views = {w.wq()[l], w.wk()[l], w.wv()[l], w.wo()[l], w.gate()[l], w.up()[l], w.down()[l]};
            proj[l] = new Projection[MODULES.length];
            for (int m = 0; m < MODULES.length; m++) {
                String name = p + (m < 4 ? "self_attn." : "mlp.") + MODULES[m];
                Tensor base = param(name + ".weight", views[m], full);
                Tensor a = null, b = null;
                if (!full && lora.targets().contains(MODULES[m])) {
                    int out = base.shape[0], in = base.shape[1];
                    float bound = (float) (1.0 / Math.sqrt(in)); // kaiming_uniform(a=√5) as PEFT initialises A
                    a = Tensor.zeros(lora.rank(), in);
                    for (int i = 0; i < a.size(); i++) a.data[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
                    a.requiresGrad(true);
                    b = Tensor.zeros(out, lora.rank()).requiresGrad(true);
                    trainable.put("base_model.model." + name + ".lora_A.weight", a);
                    trainable.put("base_model.model." + name + ".lora_B.weight", b);
                }
                proj[l][m] = new Projection(name, base, a, b);
            }
        }
        double[] inv = new double[c.headSize() / 2];
        for (int i = 0; i < inv.length; i++) inv[i] = c.invFreq(i);
        float[][] tables = Attention.ropeTables(Math.min(c.seqLen(), 1 << 16), inv);
        cos = tables[0];
        sin = tables[1];
    }

    /** The base model frozen with a PEFT adapter's values in its LoRA pairs (to continue training or evaluate). */
    public static TrainableLlama withAdapter(Llama model, PeftAdapter adapter) {
        adapter.checkFits(model);
        TrainableLlama t = new TrainableLlama(model, adapter.lora());
        for (var e : t.trainable.entrySet()) {
            Tensor src = adapter.tensors().get(e.getKey());
            if (src == null) throw new IllegalArgumentException("adapter lacks " + e.getKey().replace("base_model.model.", ""));
            System.arraycopy(src.data, 0, e.getValue().data, 0, src.size());
        }
        return t;
    }

    /** The current LoRA pairs as a PEFT adapter (only when training LoRA). */
    public PeftAdapter adapter() {
        if (lora == null) throw new IllegalStateException("full fine-tuning has no adapter");
        return new PeftAdapter(lora, trainable);
    }

    private Tensor param(String name, TensorView v, boolean trains) {
        Tensor t = v.toTensor().requiresGrad(trains);
        if (trains) trainable.put(name, t);
        return t;
    }

    public LlamaConfig config() { return c; }

    /** Trainable tensors by name: every weight (full fine-tuning) or the LoRA A/B pairs under PEFT's names. */
    public Map<String, Tensor> trainableParameters() { return trainable; }

    public List<Tensor> parameters() { return new ArrayList<>(trainable.values()); }

    /** Dropout on (training) or off (evaluation). */
    public TrainableLlama train(boolean on) {
        training = on;
        return this;
    }

    /** Seeds the LoRA-dropout masks, so a run is reproducible. */
    public void seedDropout(long seed) { dropoutRng = new SplittableRandom(seed); }

    /** Logits [rows·T, vocab] for token rows padded (with token 0) to the longest row T. */
    public Tensor forward(int[][] rows) {
        int batch = rows.length, T = 0;
        for (int[] r : rows) T = Math.max(T, r.length);
        if (T > c.seqLen()) throw new IllegalArgumentException("a row of " + T + " tokens exceeds the context of " + c.seqLen());
        int[] ids = new int[batch * T];
        for (int b = 0; b < batch; b++) System.arraycopy(rows[b], 0, ids, b * T, rows[b].length);
        Tensor x = Ops.embedding(embed, ids);
        for (int l = 0; l < c.layers(); l++) {
            Projection[] p = proj[l];
            Tensor xb = Attention.rmsNorm(x, attnNorm[l], c.normEps());
            Tensor q = Attention.rope(p[0].apply(xb), c.heads(), T, cos, sin, c.ropeInterleaved());
            Tensor k = Attention.rope(p[1].apply(xb), c.kvHeads(), T, cos, sin, c.ropeInterleaved());
            Tensor v = p[2].apply(xb);
            x = Ops.add(x, p[3].apply(Attention.causal(q, k, v, batch, T, c.heads(), c.kvHeads())));
            Tensor hb = Attention.rmsNorm(x, ffnNorm[l], c.normEps());
            x = Ops.add(x, p[6].apply(Ops.mul(Activations.silu(p[4].apply(hb)), p[5].apply(hb))));
        }
        return Ops.linear(Attention.rmsNorm(x, finalNorm, c.normEps()), classifier, null);
    }

    /**
     * Mean next-token cross-entropy: {@code targets[b][t]} is the token expected after position t of row b, or −1
     * where no loss is taken (padding, prompt). Rows shorter than the longest are padded.
     */
    public Tensor loss(int[][] rows, int[][] targets) {
        int T = 0;
        for (int[] r : rows) T = Math.max(T, r.length);
        int[] flat = new int[rows.length * T];
        java.util.Arrays.fill(flat, -1);
        for (int b = 0; b < rows.length; b++) System.arraycopy(targets[b], 0, flat, b * T, targets[b].length);
        return Losses.maskedCrossEntropy(forward(rows), flat);
    }

    private Tensor dropout(Tensor x, double p) {
        if (dropoutRng == null) dropoutRng = new SplittableRandom(lora.seed() + 1);
        Tensor mask = Tensor.zeros(x.shape);
        float keep = (float) (1 / (1 - p));
        for (int i = 0; i < mask.size(); i++) mask.data[i] = dropoutRng.nextDouble() < p ? 0f : keep;
        return Ops.mul(x, mask);
    }
}
