package vireo.elk;

/**
 * One layer's hidden states of n records: {@code last} [n][d] at the last prompt token, and {@code pairs}
 * [n][2][d] the states at the choice tokens " False" (0) and " True" (1) fed after the prompt (null if absent).
 */
public record LayerFeatures(double[][] last, double[][][] pairs) {
    public int size() { return last != null ? last.length : pairs.length; }

    public LayerFeatures select(int[] rows) {
        double[][] l = last == null ? null : new double[rows.length][];
        double[][][] p = pairs == null ? null : new double[rows.length][][];
        for (int i = 0; i < rows.length; i++) {
            if (l != null) l[i] = last[rows[i]];
            if (p != null) p[i] = pairs[rows[i]];
        }
        return new LayerFeatures(l, p);
    }

    /** The pair concatenated [neg, pos] into one 2d vector per record (the -on-pair probes' input). */
    double[][] concatenatedPairs() {
        requirePairs();
        double[][] out = new double[pairs.length][];
        for (int i = 0; i < pairs.length; i++) {
            int d = pairs[i][0].length;
            out[i] = new double[2 * d];
            System.arraycopy(pairs[i][0], 0, out[i], 0, d);
            System.arraycopy(pairs[i][1], 0, out[i], d, d);
        }
        return out;
    }

    double[][] requireLast() {
        if (last == null) throw new IllegalArgumentException("this probe needs last-token states");
        return last;
    }

    double[][][] requirePairs() {
        if (pairs == null) throw new IllegalArgumentException("this probe needs contrast pairs [n, 2, d]");
        return pairs;
    }
}
