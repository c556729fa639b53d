package vireo.tpc;

/**
 * How close a reconstruction is to the original wedge, in log2(ADC+1) units over the whole wedge (zeros included),
 * as the BCAE-VS evaluation computes them.
 *
 * @param psnr        standard 10·log10(max²/MSE), max = largest original value
 * @param psnrAuthors the authors' variant 10·log10(max²·MSE^-½) (BCAE-VS evaluate.py)
 * @param precision   TP / #(reco > 0), TP = voxels nonzero in both
 * @param recall      TP / #(original > 0)
 */
public record ReconstructionMetrics(double mae, double mse, double psnr, double psnrAuthors, double precision, double recall) {

    public static ReconstructionMetrics compare(Wedge original, Wedge reco) {
        float[] x = original.log(), y = reco.log();
        double abs = 0, sq = 0, max = 0;
        long tp = 0, predPos = 0, truePos = 0;
        for (int i = 0; i < x.length; i++) {
            double d = y[i] - x[i];
            abs += Math.abs(d);
            sq += d * d;
            max = Math.max(max, x[i]);
            boolean t = x[i] > 0, p = y[i] > 0;
            if (t) truePos++;
            if (p) predPos++;
            if (t && p) tp++;
        }
        double mae = abs / x.length, mse = sq / x.length;
        double psnr = 10 * Math.log10(max * max / mse);
        double psnrAuthors = 10 * Math.log10(max * max / Math.sqrt(mse));
        double precision = predPos == 0 ? 1.0 : tp / (double) predPos;
        double recall = truePos == 0 ? 1.0 : tp / (double) truePos;
        return new ReconstructionMetrics(mae, mse, psnr, psnrAuthors, precision, recall);
    }
}
