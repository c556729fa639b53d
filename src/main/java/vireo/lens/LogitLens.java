package vireo.lens;

/** nostalgebraist's logit lens: every hidden state decoded as if it were the last one, no translator. */
public record LogitLens(Decoder decoder, int points) implements Lens {
    @Override public float[] logits(int point, float[] h) { return decoder.logits(h); }

    @Override public String name() { return "logit"; }
}
