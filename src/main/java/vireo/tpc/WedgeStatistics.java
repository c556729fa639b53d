package vireo.tpc;

import java.util.Arrays;

/**
 * The statistics a simulated wedge is held to against a real one: occupancy overall and per layer, and the shape of
 * the nonzero-ADC distribution (percentiles and a histogram on log-spaced bins).
 *
 * @param percentiles ADC at {@link #PERCENTILES} of the nonzero values (nearest rank)
 * @param histogram   fraction of nonzero values in each of {@link #HIST_EDGES}' bins
 */
public record WedgeStatistics(double occupancy, double[] layerOccupancy, int min, int max, double[] percentiles,
                              double[] histogram) {
    public static final double[] PERCENTILES = {1, 5, 25, 50, 75, 95, 99};
    /** Log-spaced ADC bin edges from the zero-suppression floor to the 10-bit ceiling. */
    public static final double[] HIST_EDGES = logEdges(64, 1024, 24);

    private static double[] logEdges(double lo, double hi, int bins) {
        double[] e = new double[bins + 1];
        for (int i = 0; i <= bins; i++) e[i] = lo * Math.pow(hi / lo, i / (double) bins);
        return e;
    }

    public static WedgeStatistics of(short[] adc) {
        int[] perLayer = new int[Wedge.LAYERS];
        int[] values = new int[adc.length];
        int n = 0;
        for (int i = 0; i < adc.length; i++) {
            int v = adc[i] & 0xffff;
            if (v == 0) continue;
            values[n++] = v;
            perLayer[i % Wedge.LAYERS]++;
        }
        int[] nz = Arrays.copyOf(values, n);
        Arrays.sort(nz);
        double[] layer = new double[Wedge.LAYERS];
        for (int l = 0; l < layer.length; l++) layer[l] = perLayer[l] / (double) (Wedge.AZIMUTH * Wedge.Z);
        double[] pct = new double[PERCENTILES.length];
        for (int p = 0; p < pct.length && n > 0; p++)
            pct[p] = nz[Math.min(n - 1, (int) Math.ceil(PERCENTILES[p] / 100.0 * n) - 1)];
        double[] hist = new double[HIST_EDGES.length - 1];
        for (int v : nz) {
            int b = Arrays.binarySearch(HIST_EDGES, v);
            int bin = b >= 0 ? b : -b - 2;
            if (bin >= 0 && bin < hist.length) hist[bin] += 1.0 / n;
        }
        return new WedgeStatistics(n / (double) adc.length, layer, n == 0 ? 0 : nz[0], n == 0 ? 0 : nz[n - 1], pct, hist);
    }

    public double percentile(double p) {
        for (int i = 0; i < PERCENTILES.length; i++) if (PERCENTILES[i] == p) return percentiles[i];
        throw new IllegalArgumentException("percentile " + p + " not kept; have " + Arrays.toString(PERCENTILES));
    }
}
