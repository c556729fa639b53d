package vireo.lens;

/**
 * Belrose et al.'s tuned lens: an affine translator per lensed point before the frozen decoder. As in EleutherAI's
 * tuned-lens, the last point (the final block's output) has no translator: it is the model's own output.
 */
public final class TunedLens implements Lens {
    private final Decoder decoder;
    private final Translator[] translators; // one per lensed point except the last

    public TunedLens(Decoder decoder, Translator[] translators) {
        this.decoder = decoder;
        this.translators = translators;
    }

    /** A fresh (identity) tuned lens for a model with the given number of blocks. */
    public static TunedLens identity(Decoder decoder, int layers) {
        Translator[] t = new Translator[layers];
        for (int i = 0; i < layers; i++) t[i] = new Translator(decoder.dModel());
        return new TunedLens(decoder, t);
    }

    public Decoder decoder() { return decoder; }

    public Translator[] translators() { return translators; }

    @Override public int points() { return translators.length + 1; }

    public float[] translate(int point, float[] h) {
        return point < translators.length ? translators[point].apply(h) : h;
    }

    @Override public float[] logits(int point, float[] h) { return decoder.logits(translate(point, h)); }

    @Override public String name() { return "tuned"; }
}
