package vireo.elk;

/** A fitted probe: maps hidden states [n][d] to log-odds that the statement is true. */
@FunctionalInterface
public interface Probe {
    double[] score(double[][] x);

    /** A linear probe w.x + b. */
    static Probe linear(double[] w, double b) {
        return x -> {
            double[] s = new double[x.length];
            for (int i = 0; i < x.length; i++) s[i] = Linalg.dot(w, x[i]) + b;
            return s;
        };
    }

    /** Flips a probe's sign when its train AUROC is below 0.5 (the paper's sign resolution). */
    static Probe signResolved(double[] w, double[][] x, int[] y) {
        Probe p = linear(w, 0);
        if (Auroc.of(y, p.score(x)) < 0.5) {
            double[] neg = new double[w.length];
            for (int i = 0; i < w.length; i++) neg[i] = -w[i];
            return linear(neg, 0);
        }
        return p;
    }
}
