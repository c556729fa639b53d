package vireo.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code eval}'s outputs: every wedge's metrics in OUTPUT_DIR/wedges.csv and wedges.json, the aggregate last. */
final class EvalTable {
    private EvalTable() {}

    static void write(Configuration c, String dir, List<SparkTpcJob.FileResult> results) throws IOException {
        List<SparkTpcJob.WedgeMetrics> all = new ArrayList<>();
        long in = 0, out = 0;
        for (var r : results) if (r.status().equals("ok")) { all.addAll(r.metrics()); in += r.inputBytes(); out += r.outputBytes(); }
        StringBuilder csv = new StringBuilder("input,wedge,occupancy,kept_points,mae,mse,psnr,precision,recall\n");
        double[] sum = new double[6];
        for (var m : all) {
            csv.append(String.format(java.util.Locale.ROOT, "%s,%d,%.6f,%d,%.6g,%.6g,%.6g,%.6g,%.6g%n", m.input(), m.wedge(),
                    m.occupancy(), m.keptPoints(), m.mae(), m.mse(), m.psnr(), m.precision(), m.recall()));
            sum[0] += m.mae(); sum[1] += m.mse(); sum[2] += m.psnr(); sum[3] += m.precision(); sum[4] += m.recall(); sum[5] += m.keptPoints();
        }
        int n = Math.max(1, all.size());
        Map<String, Object> agg = new LinkedHashMap<>();
        agg.put("wedges", all.size());
        agg.put("compression_ratio", out == 0 ? null : 2.0 * vireo.tpc.Wedge.VOXELS * all.size() / out);
        agg.put("mean_kept_points", sum[5] / n);
        agg.put("mean_mae", sum[0] / n); agg.put("mean_mse", sum[1] / n); agg.put("mean_psnr", sum[2] / n);
        agg.put("mean_precision", sum[3] / n); agg.put("mean_recall", sum[4] / n);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("wedges", all);
        json.put("aggregate", agg);
        SparkTpcJob.writeAtomically(c, new Path(dir, "wedges.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        SparkTpcJob.writeAtomically(c, new Path(dir, "wedges.json"), SparkTpcCommand.JSON.writeValueAsBytes(json));
        System.out.println("per-wedge metrics: " + new Path(dir, "wedges.csv") + ", " + new Path(dir, "wedges.json"));
        System.out.println("aggregate: " + SparkTpcCommand.JSON.writeValueAsString(agg));
    }
}
