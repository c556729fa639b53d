package vireo.tpc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs codecs on wedges and scores them the same way, one row per codec — the table behind {@code vireo tpc eval}
 * and (from tpcbase) {@code vireo tpc bench}. Metrics are per-wedge values averaged over the wedges, as the authors'
 * evaluation does.
 *
 * @param keepRatio               kept / nonzero voxels (BCAE-VS only, else NaN)
 * @param compressionRatioAuthors the BCAE-VS papers' accounting 16 / ((16 + 20) · occupancy · keep) (BCAE-VS only)
 * @param compressionRatio        real bytes: 2 bytes per voxel (uint16 ADC) over the encoded size
 * @param bitsPerPoint            encoded bits per kept point (BCAE-VS only)
 */
public record CodecEvaluation(String codec, int wedges, double keepRatio, double compressionRatioAuthors,
                              double compressionRatio, double bitsPerPoint, double mae, double mse, double psnr,
                              double psnrAuthors, double precision, double recall, double encodeSeconds, double decodeSeconds) {

    public static List<CodecEvaluation> evaluate(List<Wedge> wedges, List<WedgeCodec> codecs, Consumer<String> progress) {
        List<CodecEvaluation> rows = new ArrayList<>();
        for (WedgeCodec c : codecs) rows.add(evaluate(wedges, c, progress));
        return rows;
    }

    public static CodecEvaluation evaluate(List<Wedge> wedges, WedgeCodec codec, Consumer<String> progress) {
        int n = wedges.size();
        double keep = 0, crA = 0, bytes = 0, points = 0, mae = 0, mse = 0, psnr = 0, psnrA = 0, prec = 0, rec = 0, tEnc = 0, tDec = 0;
        boolean bcae = codec instanceof BcaeVsCodec;
        for (int i = 0; i < n; i++) {
            Wedge w = wedges.get(i);
            long t0 = System.nanoTime();
            byte[] code = codec.encode(w);
            long t1 = System.nanoTime();
            Wedge r = codec.decode(code);
            long t2 = System.nanoTime();
            tEnc += (t1 - t0) / 1e9;
            tDec += (t2 - t1) / 1e9;
            bytes += code.length;
            if (bcae) {
                int kept = BcaeVsFile.parse(java.nio.file.Path.of("<bytes>"), code).wedges().getFirst().size();
                double k = kept / (double) w.nonzero();
                keep += k;
                crA += 16.0 / (36.0 * w.occupancy() * k);
                points += kept;
            }
            ReconstructionMetrics m = ReconstructionMetrics.compare(w, r);
            mae += m.mae(); mse += m.mse(); psnr += m.psnr(); psnrA += m.psnrAuthors(); prec += m.precision(); rec += m.recall();
            if (progress != null) progress.accept(codec.name() + " " + (i + 1) + "/" + n);
        }
        double nan = Double.NaN;
        return new CodecEvaluation(codec.name(), n, bcae ? keep / n : nan, bcae ? crA / n : nan,
                2.0 * Wedge.VOXELS * n / bytes, bcae ? 8 * bytes / points : nan,
                mae / n, mse / n, psnr / n, psnrA / n, prec / n, rec / n, tEnc / n, tDec / n);
    }

    /** A fixed-width text table, one row per codec. */
    public static String table(List<CodecEvaluation> rows) {
        StringBuilder s = new StringBuilder(String.format("%-12s %6s %7s %8s %8s %8s %8s %7s %7s %9s %7s %7s %8s %8s%n",
                "codec", "wedges", "keep", "CR(auth)", "CR(real)", "bits/pt", "MAE", "MSE", "PSNR", "PSNR(au)", "prec", "recall", "enc s", "dec s"));
        for (CodecEvaluation r : rows)
            s.append(String.format("%-12s %6d %7s %8s %8.2f %8s %8.4f %7.4f %7.2f %9.2f %7.4f %7.4f %8.3f %8.3f%n",
                    r.codec(), r.wedges(), opt(r.keepRatio(), "%.4f"), opt(r.compressionRatioAuthors(), "%.2f"),
                    r.compressionRatio(), opt(r.bitsPerPoint(), "%.2f"), r.mae(), r.mse(), r.psnr(), r.psnrAuthors(),
                    r.precision(), r.recall(), r.encodeSeconds(), r.decodeSeconds()));
        return s.toString();
    }

    private static String opt(double v, String fmt) { return Double.isNaN(v) ? "-" : String.format(fmt, v); }
}
