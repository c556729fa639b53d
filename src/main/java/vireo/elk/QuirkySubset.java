package vireo.elk;

import java.util.function.Predicate;

/** elk-generalization's dataset abbreviations: A = Alice, B = Bob, E = easy (quantile <= .25), H = hard (>= .75). */
public enum QuirkySubset {
    ALL("all", r -> true),
    A("A", QuirkyRecord::isAlice),
    B("B", r -> !r.isAlice()),
    AE("AE", r -> r.isAlice() && r.isEasy()),
    AH("AH", r -> r.isAlice() && r.isHard()),
    BE("BE", r -> !r.isAlice() && r.isEasy()),
    BH("BH", r -> !r.isAlice() && r.isHard());

    public final String abbrev;
    public final Predicate<QuirkyRecord> test;

    QuirkySubset(String abbrev, Predicate<QuirkyRecord> test) {
        this.abbrev = abbrev;
        this.test = test;
    }

    public static QuirkySubset of(String s) {
        for (QuirkySubset q : values()) if (q.abbrev.equalsIgnoreCase(s)) return q;
        throw new IllegalArgumentException("unknown subset " + s + " (all, A, B, AE, AH, BE, BH)");
    }
}
