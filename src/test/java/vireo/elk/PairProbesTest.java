package vireo.elk;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** LEACE's defining property and the pair probes on synthetic contrast pairs with a known truth direction. */
class PairProbesTest {
    /** pairs[i][c] = base_i + (c == truth_i ? +1 : -1) * t + (c * 2 - 1) * pairShift + noise. */
    static Object[] synthetic(int n, long seed) {
        Random r = new Random(seed);
        int d = 5;
        double[] t = {1.0, 0.5, 0, 0, 0}, shift = {0, 0, 3, 0, 0};
        double[][][] pairs = new double[n][2][d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextBoolean() ? 1 : 0;
            double[] base = new double[d];
            for (int j = 0; j < d; j++) base[j] = 2 * r.nextGaussian();
            for (int c = 0; c < 2; c++)
                for (int j = 0; j < d; j++)
                    pairs[i][c][j] = base[j] + ((c == y[i]) ? 1 : -1) * t[j] + (2 * c - 1) * shift[j] + 0.3 * r.nextGaussian();
        }
        return new Object[]{new LayerFeatures(null, pairs), y};
    }

    @Test
    void leaceLeavesNoLinearCorrelationWithTheConcept() {
        Random r = new Random(3);
        int n = 300, d = 4;
        double[][] x = new double[n][d];
        int[] z = new int[n];
        for (int i = 0; i < n; i++) {
            z[i] = r.nextBoolean() ? 1 : 0;
            for (int j = 0; j < d; j++) x[i][j] = r.nextGaussian() + (j == 0 ? 2 * z[i] : 0) + (j == 1 ? x[i][0] : 0);
        }
        Leace e = Leace.fit(x, z);
        double[][] xe = new double[n][];
        for (int i = 0; i < n; i++) xe[i] = e.apply(x[i]);
        double[] mu = Linalg.mean(xe);
        double zm = java.util.Arrays.stream(z).average().orElseThrow();
        for (int j = 0; j < d; j++) {
            double c = 0;
            for (int i = 0; i < n; i++) c += (xe[i][j] - mu[j]) * (z[i] - zm);
            assertEquals(0, c / n, 1e-9, "cov(x'_" + j + ", z)");
        }
        // and it moved the points as little as needed: the concept-free coordinates are untouched in mean
        assertNotEquals(x[0][0], xe[0][0]);
    }

    @Test
    void pairProbesFindTheTruthDirection() {
        Object[] tr = synthetic(400, 1), te = synthetic(200, 2);
        LayerFeatures ftr = (LayerFeatures) tr[0], fte = (LayerFeatures) te[0];
        int[] ytr = (int[]) tr[1], yte = (int[]) te[1];
        for (ProbeMethod m : new ProbeMethod[]{ProbeMethod.CCS, ProbeMethod.CRC, ProbeMethod.LR_ON_PAIR, ProbeMethod.MEAN_DIFF_ON_PAIR}) {
            double auc = Auroc.of(yte, m.fit(ftr, ytr, 0).score(fte));
            assertTrue(auc > 0.9, m.id + " AUROC " + auc);
        }
    }

    @Test
    void randomBaselineSitsNearChanceOnNoise() {
        Random r = new Random(9);
        double[][] a = new double[200][8], b = new double[200][8];
        int[] ya = new int[200], yb = new int[200];
        for (int i = 0; i < 200; i++) {
            ya[i] = i % 2; yb[i] = (i / 2) % 2;
            for (int j = 0; j < 8; j++) { a[i][j] = r.nextGaussian(); b[i][j] = r.nextGaussian(); }
        }
        double[] q = ProbeMethod.randomBaseline(new LayerFeatures(a, null), ya, new LayerFeatures(b, null), yb, 50, 1);
        assertEquals(0.5, q[25], 0.08);
        assertTrue(q[0] <= q[49]);
    }
}
