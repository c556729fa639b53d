package vireo.lm;

import java.util.List;

/**
 * One interface over every model family (Llama, RWKV, Mamba). A model is stateless apart from its weights; all
 * per-sequence memory (KV cache or recurrent state) lives in a {@link State} the caller owns, so many prompts can
 * run at once on one model.
 */
public interface LanguageModel extends AutoCloseable {

    /** Family name and size facts, for bench and inspect output. */
    String family();

    int vocabSize();

    int numLayers();

    int dModel();

    /** Maximum sequence length, or Integer.MAX_VALUE for recurrent models. */
    int maxSeqLen();

    /** A fresh state (empty KV cache / zero recurrent state). */
    State newState();

    /**
     * Consumes one token at the state's current position and returns the next-token logits (length vocabSize).
     * The returned array may be reused by the next call.
     */
    float[] step(State state, int token, Hooks hooks);

    /**
     * Consumes a prompt; returns logits for every position ([n][vocab]). Equal (to rounding) to calling
     * {@link #step} once per token: it fills the state the same way and fires every hook point once per position,
     * with the same names and the same read/write effect, but model families run it as one block (matrix–matrix
     * projections), so it is much faster than a loop over {@code step}. Hooks see layer by layer, not token by token:
     * all positions of layer l fire before any position of layer l+1.
     */
    default float[][] forward(State state, int[] tokens, Hooks hooks) {
        return forwardBatch(List.of(new Sequence(state, tokens, hooks))).get(0);
    }

    /**
     * Consumes tokens[from, to) with one block forward and returns the logits after the last of them (null when the
     * range is empty): the replacement for a loop of {@code step} over a known prompt.
     */
    default float[] consume(State state, int[] tokens, int from, int to, Hooks hooks) {
        if (to <= from) return null;
        int[] part = from == 0 && to == tokens.length ? tokens : java.util.Arrays.copyOfRange(tokens, from, to);
        float[][] out = forward(state, part, hooks);
        return out[out.length - 1];
    }

    /** One prompt of a batch: the state it continues, its tokens, and the hooks that see (only) its positions. */
    record Sequence(State state, int[] tokens, Hooks hooks) {}

    /**
     * Many prompts at once, of ragged lengths, packed row after row into one block (no padding), so the weights are
     * read once for the whole batch. Per sequence, the same as {@link #forward(State, int[], Hooks)}; each
     * sequence's {@link Hooks} value sees only that sequence's positions, so a hook knows its sequence by the value
     * it was registered in. States must be distinct. Returns [sequence][position][vocab] logits.
     */
    default List<float[][]> forwardBatch(List<Sequence> batch) {
        checkBatch(batch);
        List<float[][]> res = new java.util.ArrayList<>();
        for (Sequence q : batch) {
            float[][] out = new float[q.tokens().length][];
            for (int i = 0; i < q.tokens().length; i++) out[i] = step(q.state(), q.tokens()[i], q.hooks()).clone();
            res.add(out);
        }
        return res;
    }

    /**
     * Checks a batch before any work starts: tokens inside the vocabulary, sequences within the context, states
     * distinct. Throws IllegalArgumentException with a one-line message.
     */
    default void checkBatch(List<Sequence> batch) {
        var seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<State, Boolean>());
        for (Sequence q : batch) {
            if (!seen.add(q.state())) throw new IllegalArgumentException("the same state appears twice in one batch");
            long end = (long) q.state().position() + q.tokens().length;
            if (end > maxSeqLen())
                throw new IllegalArgumentException("sequence of " + end + " positions is longer than the model's context of " + maxSeqLen());
            for (int t : q.tokens())
                if (t < 0 || t >= vocabSize()) throw new IllegalArgumentException("token " + t + " outside vocabulary of " + vocabSize());
        }
    }

    /**
     * Fires a hook point on every row of a packed [rows, d] block, each row with its own sequence's hooks and
     * position (the block forwards' counterpart of one {@link Hooks#run} per step).
     */
    static void runRowHooks(String point, float[] block, Hooks[] rowHooks, int[] rowPos, float[] row) {
        int d = row.length;
        for (int i = 0; i < rowPos.length; i++) {
            if (!rowHooks[i].has(point)) continue;
            System.arraycopy(block, i * d, row, 0, d);
            rowHooks[i].run(point, rowPos[i], row);
            System.arraycopy(row, 0, block, i * d, d);
        }
    }

    /** Splits a packed [rows, vocab] logits block back into one [n_i][vocab] array per sequence of the batch. */
    static List<float[][]> splitRows(List<Sequence> batch, float[] logits, int vocab) {
        List<float[][]> res = new java.util.ArrayList<>();
        int r = 0;
        for (Sequence q : batch) {
            float[][] o = new float[q.tokens().length][];
            for (int i = 0; i < o.length; i++, r++) o[i] = java.util.Arrays.copyOfRange(logits, r * vocab, r * vocab + vocab);
            res.add(o);
        }
        return res;
    }

    /** Every hook point name this model publishes, in layer order. */
    List<String> hookPoints();

    /** Per-sequence memory; recurrent families expose their state parts by hook-point name. */
    interface State {
        /** Number of tokens consumed so far (the position of the next token). */
        int position();

        /** A deep copy, to branch generation or steering runs from a shared prefix. */
        State copy();

        /** Names of the state parts ({@code blocks.i.state.wkv} ...); empty for a KV cache. */
        default List<String> parts() { return List.of(); }

        /** The live array of a state part (writes change the state). */
        default float[] part(String name) { throw new IllegalArgumentException("no state part " + name); }
    }

    @Override
    default void close() {}
}
