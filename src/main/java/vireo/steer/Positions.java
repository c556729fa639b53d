package vireo.steer;

import java.util.function.IntPredicate;

/**
 * Which token positions an intervention edits, relative to the prompt length L (positions 0..L−1 are the prompt,
 * L.. are generated). The ACE code's {@code --toks} rules keep their names and intended semantics:
 * {@code before} = {@link Kind#BEFORE} (prompt positions 0..L−2; no generated token) and {@code after} =
 * {@link Kind#LAST_PROMPT_AND_GENERATED} (L−1 onward, through generation). The reference's own slicing under a KV
 * cache differs during generation ({@code before} also hits every generated token, {@code after} none; reference
 * notes §1.5); Vireo implements the intended rules. Vireo's own rules: {@code prompt} (0..L−1), {@code generated}
 * (L..), {@code all}, {@code from:K}, {@code last:K}.
 */
public record Positions(Kind kind, int k) {
    public enum Kind { ALL, BEFORE, PROMPT, GENERATED, LAST_PROMPT_AND_GENERATED, FROM, LAST_PROMPT }

    public static final Positions ALL = new Positions(Kind.ALL, 0);
    /** The reference's {@code before}: prompt positions 0..L−2. */
    public static final Positions BEFORE = new Positions(Kind.BEFORE, 0);
    public static final Positions PROMPT = new Positions(Kind.PROMPT, 0);
    public static final Positions GENERATED = new Positions(Kind.GENERATED, 0);
    public static final Positions LAST_PROMPT_AND_GENERATED = new Positions(Kind.LAST_PROMPT_AND_GENERATED, 0);

    /** Every position ≥ k. */
    public static Positions from(int k) { return new Positions(Kind.FROM, k); }

    /** The last k prompt tokens only (the CAA / state-steering rule: k = 1, or 3 for Mamba). */
    public static Positions lastPrompt(int k) { return new Positions(Kind.LAST_PROMPT, k); }

    public boolean includes(int position, int promptLength) {
        return switch (kind) {
            case ALL -> true;
            case BEFORE -> position < promptLength - 1;
            case PROMPT -> position < promptLength;
            case GENERATED -> position >= promptLength;
            case LAST_PROMPT_AND_GENERATED -> position >= promptLength - 1;
            case FROM -> position >= k;
            case LAST_PROMPT -> position < promptLength && position >= promptLength - k;
        };
    }

    /** The first position this rule can edit (everything before it runs unsteered and can be shared). */
    public int first(int promptLength) {
        return switch (kind) {
            case ALL, BEFORE, PROMPT -> 0;
            case GENERATED -> promptLength;
            case LAST_PROMPT_AND_GENERATED -> Math.max(0, promptLength - 1);
            case FROM -> k;
            case LAST_PROMPT -> Math.max(0, promptLength - k);
        };
    }

    public IntPredicate bind(int promptLength) { return p -> includes(p, promptLength); }

    /** One line per rule, for {@code --help}. */
    public static final String HELP = "before = prompt tokens 0..L-2 (reference --toks before; generated tokens unsteered), "
            + "after = last prompt token L-1 and every generated token (reference --toks after), "
            + "prompt = whole prompt 0..L-1, generated = generated tokens only, all = prompt and generated, "
            + "from:K = positions >= K (prompt and generated), last:K = the last K prompt tokens only";

    /** before | after | all | prompt | generated | from:K | last:K */
    public static Positions parse(String s) {
        String t = s.trim().toLowerCase();
        if (t.startsWith("from:")) return from(count(s, t.substring(5), 0));
        if (t.startsWith("last:")) return lastPrompt(count(s, t.substring(5), 1));
        return switch (t) {
            case "all" -> ALL;
            case "before" -> BEFORE;
            case "prompt" -> PROMPT;
            case "generated" -> GENERATED;
            case "after", "last+generated" -> LAST_PROMPT_AND_GENERATED;
            default -> throw new IllegalArgumentException("unknown positions '" + s
                    + "' (before, after, all, prompt, generated, from:K, last:K)");
        };
    }

    /** K of from:K (≥ 0) or last:K (≥ 1); a negative K would silently edit nothing, so it is refused. */
    private static int count(String rule, String k, int min) {
        int n;
        try {
            n = Integer.parseInt(k.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + rule + "': K must be a whole number");
        }
        if (n < min) throw new IllegalArgumentException("'" + rule + "': K must be at least " + min);
        return n;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ALL -> "all";
            case BEFORE -> "before";
            case PROMPT -> "prompt";
            case GENERATED -> "generated";
            case LAST_PROMPT_AND_GENERATED -> "after";
            case FROM -> "from:" + k;
            case LAST_PROMPT -> "last:" + k;
        };
    }
}
