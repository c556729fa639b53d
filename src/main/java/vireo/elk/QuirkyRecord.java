package vireo.elk;

import java.util.List;

/**
 * One quirky record: a statement seen through one character. {@code label} is the character's own label
 * (Alice's for Alice, Bob's for Bob); {@code aliceLabel} is the truth. {@code op2} is 0 for unary tasks.
 */
public record QuirkyRecord(int id, String character, long op1, long op2, long result, int label, int aliceLabel,
                           int bobLabel, long difficulty, double difficultyQuantile, String statement,
                           List<String> choices) {

    public boolean isAlice() { return "Alice".equals(character); }

    public boolean isEasy() { return difficultyQuantile <= 0.25; }

    public boolean isHard() { return difficultyQuantile >= 0.75; }

    /** The label column named as in elk-generalization: label, alice_label or bob_label. */
    public int label(String column) {
        return switch (column) {
            case "label" -> label;
            case "alice_label" -> aliceLabel;
            case "bob_label" -> bobLabel;
            default -> throw new IllegalArgumentException("label column must be label, alice_label or bob_label: " + column);
        };
    }
}
