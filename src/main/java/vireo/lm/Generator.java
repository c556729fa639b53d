package vireo.lm;

import vireo.lm.tokenizer.Tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;

/** Runs a prompt through any {@link LanguageModel} and samples a continuation, with hooks active throughout. */
public final class Generator {
    private Generator() {}

    /**
     * @param maxTokens  new tokens at most (also bounded by the model's context)
     * @param stopTokens generation ends after sampling one of these (not emitted); the tokenizer's EOS is added
     */
    public record Options(int maxTokens, float temperature, float topP, long seed, Set<Integer> stopTokens) {
        public static Options greedy(int maxTokens) { return new Options(maxTokens, 0f, 1f, 0, Set.of()); }
    }

    /** What came out: prompt and generated ids, the generated text, and how long each phase took. */
    public record Result(int[] prompt, int[] generated, String text, long promptNanos, long generateNanos) {
        public double promptTokensPerSecond() { return prompt.length / (promptNanos / 1e9); }
        public double generatedTokensPerSecond() { return generated.length / (generateNanos / 1e9); }
    }

    public static Result generate(LanguageModel model, Tokenizer tok, int[] prompt, Options o, Hooks hooks, Consumer<String> stream) {
        if (prompt.length == 0) throw new IllegalArgumentException("empty prompt: encode with BOS, or pass at least one token");
        if (prompt.length > model.maxSeqLen()) throw new IllegalArgumentException("prompt of " + prompt.length + " tokens exceeds the model's context of " + model.maxSeqLen());
        Sampler sampler = new Sampler(o.temperature(), o.topP(), o.seed());
        LanguageModel.State state = model.newState();
        long t0 = System.nanoTime();
        float[] logits = null;
        logits = model.consume(state, prompt, 0, prompt.length, hooks);
        long t1 = System.nanoTime();
        int[] out = new int[Math.max(0, Math.min(o.maxTokens(), model.maxSeqLen() - prompt.length + 1))];
        int n = 0, prev = prompt[prompt.length - 1];
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Utf8Stream utf8 = new Utf8Stream(stream);
        while (n < out.length) {
            int next = sampler.sample(logits);
            if (next == tok.eos() || next == tok.bos() && tok.bos() >= 0 || o.stopTokens().contains(next)) break;
            out[n++] = next;
            byte[] piece = tok.piece(prev, next);
            text.writeBytes(piece);
            utf8.accept(piece);
            prev = next;
            if (n == out.length || state.position() >= model.maxSeqLen()) break;
            logits = model.step(state, next, hooks);
        }
        utf8.flush();
        long t2 = System.nanoTime();
        return new Result(prompt, Arrays.copyOf(out, n), text.toString(StandardCharsets.UTF_8), t1 - t0, t2 - t1);
    }

    /** Emits text only at UTF-8 character boundaries, so multi-byte characters split over tokens print whole. */
    private static final class Utf8Stream {
        private final Consumer<String> sink;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Utf8Stream(Consumer<String> sink) { this.sink = sink; }

        void accept(byte[] bytes) {
            if (sink == null) return;
            pending.writeBytes(bytes);
            byte[] b = pending.toByteArray();
            int cut = b.length;
            // hold back an incomplete trailing sequence
            for (int i = Math.max(0, b.length - 3); i < b.length; i++) {
                int lead = b[i] & 0xff;
                int need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
                if (need > 1 && i + need > b.length) { cut = i; break; }
            }
            if (cut > 0) sink.accept(new String(b, 0, cut, StandardCharsets.UTF_8));
            pending.reset();
            pending.write(b, cut, b.length - cut);
        }

        void flush() {
            if (sink != null && pending.size() > 0) sink.accept(pending.toString(StandardCharsets.UTF_8));
        }
    }
}
