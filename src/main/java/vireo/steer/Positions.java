package vireo.steer;

import java.util.function.IntPredicate;

/**
 * Which token positions an intervention edits, relative to the prompt length n (positions 0..n−1 are the prompt,
 * n.. are generated). Intended semantics of the ACE code's {@code --toks}: {@code before} = {@link Kind#PROMPT},
 * {@code after} = {@link Kind#LAST_PROMPT_AND_GENERATED} (the reference's slicing with a KV cache differs; see
 * reference notes §1.5).
 */
public record Positions(Kind kind, int k) {
    public enum Kind { ALL, PROMPT, GENERATED, LAST_PROMPT_AND_GENERATED, FROM, LAST_PROMPT }

    public static final Positions ALL = new Positions(Kind.ALL, 0);
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
            case ALL, PROMPT -> 0;
            case GENERATED -> promptLength;
            case LAST_PROMPT_AND_GENERATED -> Math.max(0, promptLength - 1);
            case FROM -> k;
            case LAST_PROMPT -> Math.max(0, promptLength - k);
        };
    }

    public IntPredicate bind(int promptLength) { return p -> includes(p, promptLength); }

    /** all | prompt | generated | after (last prompt token + generated) | from:K | last:K */
    public static Positions parse(String s) {
        String t = s.trim().toLowerCase();
        if (t.startsWith("from:")) return from(Integer.parseInt(t.substring(5)));
        if (t.startsWith("last:")) return lastPrompt(Integer.parseInt(t.substring(5)));
        return switch (t) {
            case "all" -> ALL;
            case "prompt", "before" -> PROMPT;
            case "generated" -> GENERATED;
            case "after", "last+generated" -> LAST_PROMPT_AND_GENERATED;
            default -> throw new IllegalArgumentException("unknown positions '" + s
                    + "' (all, prompt, generated, after, from:K, last:K)");
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ALL -> "all";
            case PROMPT -> "prompt";
            case GENERATED -> "generated";
            case LAST_PROMPT_AND_GENERATED -> "after";
            case FROM -> "from:" + k;
            case LAST_PROMPT -> "last:" + k;
        };
    }
}
