package vireo.elk;

/** elk-generalization's {@code mean-diff}: w = (mu1 - mu0) / ||mu1 - mu0||, no bias, sign by train AUROC. */
public final class MeanDiffProbe {
    private MeanDiffProbe() {}

    public static double[] direction(double[][] x, int[] y) {
        double[][][] parts = LdaProbe.split(x, y);
        double[] m0 = Linalg.mean(parts[0]), m1 = Linalg.mean(parts[1]);
        double[] w = new double[m0.length];
        for (int j = 0; j < w.length; j++) w[j] = m1[j] - m0[j];
        double norm = Math.sqrt(Linalg.dot(w, w));
        for (int j = 0; j < w.length; j++) w[j] /= norm;
        return w;
    }

    public static Probe fit(double[][] x, int[] y) { return Probe.signResolved(direction(x, y), x, y); }
}
