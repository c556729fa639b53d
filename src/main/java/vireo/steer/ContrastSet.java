package vireo.steer;

import java.util.List;

/**
 * Tokenized contrastive examples: activations of {@code positives} minus those of {@code negatives} give the
 * direction. When both lists have the same length, example i of each is treated as a pair and their common token
 * prefix is run once.
 *
 * @param name  data set name recorded in the vector's metadata ({@code caa:refusal}, {@code ace}, ...)
 * @param rule  where each example is read
 */
public record ContrastSet(String name, PositionRule rule, List<int[]> positives, List<int[]> negatives) {
    public ContrastSet {
        positives = List.copyOf(positives);
        negatives = List.copyOf(negatives);
        if (positives.isEmpty() || negatives.isEmpty())
            throw new IllegalArgumentException(name + ": a contrast set needs positive and negative examples");
        for (int[] t : positives) if (t.length == 0) throw new IllegalArgumentException(name + ": empty example");
        for (int[] t : negatives) if (t.length == 0) throw new IllegalArgumentException(name + ": empty example");
    }

    public boolean paired() { return positives.size() == negatives.size(); }
}
