package vireo.lm.train;

import vireo.io.SafeTensors;
import vireo.io.TensorFile;
import vireo.nn.Adam;
import vireo.nn.AdamW;
import vireo.nn.Optimizer;
import vireo.tensor.Tensor;
import vireo.tensor.TensorView;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fine-tuning a {@link TrainableLlama} (LoRA or full): AdamW, linear warm-up then cosine decay to zero, global
 * gradient-norm clipping, seeded batch order. One {@link #step} is one optimizer update on one batch; examples carry
 * their own loss mask, so the same loop trains on packed text, prompt/completion pairs or answer tokens.
 */
public final class FineTune {
    /** Training hyper-parameters. */
    public record Settings(int steps, int batch, double lr, int warmup, double clip, double weightDecay, long seed) {
        public Settings {
            if (steps < 1 || batch < 1) throw new IllegalArgumentException("steps and batch must be at least 1");
            if (lr <= 0) throw new IllegalArgumentException("learning rate must be positive");
        }
    }

    /** A row of tokens and, per position, the token expected next there or −1 (no loss). */
    public record Example(int[] tokens, int[] targets) {
        public Example {
            if (tokens.length != targets.length || tokens.length == 0) throw new IllegalArgumentException("tokens and targets must have one equal, non-zero length");
        }

        /** Loss only on the answer: the model reads the prompt and must put {@code answer} after its last token. */
        public static Example answerToken(int[] prompt, int answer) {
            int[] t = new int[prompt.length];
            java.util.Arrays.fill(t, -1);
            t[prompt.length - 1] = answer;
            return new Example(prompt.clone(), t);
        }

        /** Prompt then completion, loss on the completion tokens only. */
        public static Example completion(int[] prompt, int[] completion) {
            int n = prompt.length + completion.length - 1;
            int[] tok = new int[n], t = new int[n];
            System.arraycopy(prompt, 0, tok, 0, prompt.length);
            System.arraycopy(completion, 0, tok, prompt.length, completion.length - 1);
            java.util.Arrays.fill(t, -1);
            for (int i = 0; i < completion.length; i++) t[prompt.length - 1 + i] = completion[i];
            return new Example(tok, t);
        }
    }

    /** Documents concatenated into rows of {@code seqLen}+1 tokens (shifted by one for the targets), loss everywhere. */
    public static List<Example> pack(List<int[]> docs, int seqLen) {
        List<Integer> all = new ArrayList<>();
        for (int[] d : docs) for (int t : d) all.add(t);
        List<Example> out = new ArrayList<>();
        for (int s = 0; s + seqLen + 1 <= all.size(); s += seqLen) {
            int[] tok = new int[seqLen], t = new int[seqLen];
            for (int i = 0; i < seqLen; i++) { tok[i] = all.get(s + i); t[i] = all.get(s + i + 1); }
            out.add(new Example(tok, t));
        }
        return out;
    }

    private final TrainableLlama model;
    private final Settings s;
    private final AdamW opt;
    private int step;

    public FineTune(TrainableLlama model, Settings settings) {
        this.model = model;
        this.s = settings;
        this.opt = new AdamW(model.parameters(), settings.lr(), 0.9, 0.999, 1e-8, settings.weightDecay());
    }

    public int stepsDone() { return step; }

    /** Learning rate at update {@code i} (0-based): linear warm-up, then cosine to zero at the last step. */
    public double lrAt(int i) {
        if (i < s.warmup()) return s.lr() * (i + 1) / s.warmup();
        double p = (double) (i - s.warmup()) / Math.max(1, s.steps() - s.warmup());
        return s.lr() * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, p)));
    }

    /** One update on {@code batch}; returns its loss (before the update). */
    public double step(List<Example> batch) {
        model.train(true);
        model.seedDropout(s.seed() * 31L + step + 17); // dropout masks, too, are a function of (seed, step)
        int[][] rows = new int[batch.size()][], targets = new int[batch.size()][];
        for (int i = 0; i < rows.length; i++) { rows[i] = batch.get(i).tokens(); targets[i] = batch.get(i).targets(); }
        opt.zeroGrad();
        Tensor loss = model.loss(rows, targets);
        loss.backward();
        if (s.clip() > 0) Optimizer.clipGradNorm(opt.params(), s.clip());
        opt.setLr(lrAt(step));
        opt.step();
        step++;
        return loss.item();
    }

    /** A seeded random batch drawn from {@code data} (order depends only on the seed and the step count). */
    public List<Example> nextBatch(List<Example> data) {
        SplittableRandom r = new SplittableRandom(s.seed() * 1_000_003L + step); // a function of (seed, step): resumable
        List<Example> b = new ArrayList<>(s.batch());
        for (int i = 0; i < s.batch(); i++) b.add(data.get(r.nextInt(data.size())));
        return b;
    }

    /** Trains on {@code data} until {@link Settings#steps} updates are done; {@code each} sees (step, loss). */
    public void fit(List<Example> data, java.util.function.ObjIntConsumer<Double> each) {
        while (step < s.steps()) {
            double l = step(nextBatch(data));
            if (each != null) each.accept(l, step);
        }
    }

    /** Mean loss over {@code data} (token-weighted per batch of {@code batch} rows), dropout off, no tape. */
    public double evaluate(List<Example> data) {
        model.train(false);
        double sum = 0;
        long n = 0;
        for (int i = 0; i < data.size(); i += s.batch()) {
            List<Example> b = data.subList(i, Math.min(data.size(), i + s.batch()));
            int[][] rows = b.stream().map(Example::tokens).toArray(int[][]::new), tg = b.stream().map(Example::targets).toArray(int[][]::new);
            long count = 0;
            for (int[] t : tg) for (int x : t) if (x >= 0) count++;
            float l = Tensor.noGrad(() -> model.loss(rows, tg)).item();
            sum += l * count;
            n += count;
        }
        model.train(true);
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * Answer-token LoRA fine-tuning in one call (the recipe ELK's quirky models use): each example is a prompt and
     * the single token that must follow it; the loss is on that position only. Returns the trained model.
     */
    public static TrainableLlama answerTokenLora(vireo.lm.llama.Llama base, Lora lora, List<int[]> prompts, int[] answers, Settings settings) {
        if (prompts.size() != answers.length) throw new IllegalArgumentException(prompts.size() + " prompts for " + answers.length + " answers");
        TrainableLlama t = new TrainableLlama(base, lora);
        List<Example> ex = new ArrayList<>();
        for (int i = 0; i < answers.length; i++) ex.add(Example.answerToken(prompts.get(i), answers[i]));
        new FineTune(t, settings).fit(ex, null);
        return t;
    }

    /** Writes the trainable tensors, their AdamW moments and the step count (atomically) for {@link #resume}. */
    public void checkpoint(Path file) {
        Map<String, TensorView> out = new LinkedHashMap<>();
        for (var e : model.trainableParameters().entrySet()) {
            Tensor p = e.getValue();
            out.put(e.getKey(), TensorView.ofFloats(p.data, p.shape));
            Adam.State st = opt.state(p);
            if (st != null) {
                out.put("optimizer." + e.getKey() + ".m", TensorView.ofFloats(st.m(), p.size()));
                out.put("optimizer." + e.getKey() + ".v", TensorView.ofFloats(st.v(), p.size()));
            }
        }
        SafeTensors.write(file, out, Map.of("step", Integer.toString(step), "seed", Long.toString(s.seed())));
    }

    /** Restores a {@link #checkpoint}: parameters, optimizer moments and the step count (batches are a function of seed and step). */
    public void resume(Path file) {
        if (!Files.isRegularFile(file)) throw new vireo.io.InvalidFileException(file, "no such checkpoint");
        try (TensorFile f = SafeTensors.read(file)) {
            int done = Integer.parseInt(f.metadata().getOrDefault("step", "0"));
            for (var e : model.trainableParameters().entrySet()) {
                if (!f.has(e.getKey())) throw new vireo.io.InvalidFileException(file, "checkpoint lacks " + e.getKey() + " (another model or adapter?)");
                TensorView v = f.get(e.getKey());
                if (v.numel() != e.getValue().size()) throw new vireo.io.InvalidFileException(file, e.getKey() + " has another shape");
                System.arraycopy(v.toFloatArray(), 0, e.getValue().data, 0, e.getValue().size());
                if (f.has("optimizer." + e.getKey() + ".m"))
                    opt.setState(e.getValue(), new Adam.State(done, f.get("optimizer." + e.getKey() + ".m").toFloatArray(), f.get("optimizer." + e.getKey() + ".v").toFloatArray()));
            }
            step = done;
        }
    }
}
