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

    /** Consumes a prompt; returns logits for every position ([n][vocab]). */
    default float[][] forward(State state, int[] tokens, Hooks hooks) {
        float[][] out = new float[tokens.length][];
        for (int i = 0; i < tokens.length; i++) out[i] = step(state, tokens[i], hooks).clone();
        return out;
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
