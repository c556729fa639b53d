package vireo.steer;

/** Where an example's activation is read when building directions. */
public enum PositionRule {
    /** The last token of the prompt (template applied). */
    LAST_PROMPT_TOKEN("last-prompt-token"),
    /** The answer letter: template + "A"/"B" appended, read at that last token. */
    ANSWER_LETTER("answer-letter"),
    /** The last token of a reply appended to the prompt (ACE "caa" data). */
    ACE_REPLY("last-reply-token"),
    /** The recurrent state after the whole prompt, every state part of every layer. */
    FINAL_STATE("final-state");

    private final String label;

    PositionRule(String label) { this.label = label; }

    public String label() { return label; }

    public static PositionRule parse(String s) {
        for (PositionRule r : values()) if (r.label.equals(s) || r.name().equalsIgnoreCase(s)) return r;
        throw new IllegalArgumentException("unknown position rule '" + s + "' (last-prompt-token, answer-letter, final-state)");
    }
}
