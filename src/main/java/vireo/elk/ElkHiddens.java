package vireo.elk;

import vireo.io.Npy;
import vireo.tensor.TensorView;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hidden states of n records at every layer: {@code layers.get(l)} holds block l's resid_post at the last prompt
 * token and (optionally) at each choice token; {@code lmLogOdds} = logit(" True") - logit(" False") at the last
 * prompt position. Stored as three .npy files in a folder: last.npy [L, n, d], pairs.npy [L, n, 2, d],
 * lm_log_odds.npy [n] (float32), next to records.jsonl.
 */
public record ElkHiddens(List<LayerFeatures> layers, double[] lmLogOdds) {

    public int numLayers() { return layers.size(); }

    public void save(Path dir) {
        int L = layers.size(), n = lmLogOdds.length, d = layers.getFirst().last()[0].length;
        float[] last = new float[L * n * d];
        boolean hasPairs = layers.getFirst().pairs() != null;
        float[] pairs = hasPairs ? new float[L * n * 2 * d] : null;
        for (int l = 0; l < L; l++)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < d; j++) {
                    last[(l * n + i) * d + j] = (float) layers.get(l).last()[i][j];
                    if (hasPairs) for (int c = 0; c < 2; c++)
                        pairs[((l * n + i) * 2 + c) * d + j] = (float) layers.get(l).pairs()[i][c][j];
                }
        float[] lo = new float[n];
        for (int i = 0; i < n; i++) lo[i] = (float) lmLogOdds[i];
        Npy.write(dir.resolve("last.npy"), TensorView.ofFloats(last, L, n, d));
        if (hasPairs) Npy.write(dir.resolve("pairs.npy"), TensorView.ofFloats(pairs, L, n, 2, d));
        Npy.write(dir.resolve("lm_log_odds.npy"), TensorView.ofFloats(lo, n));
    }

    public static ElkHiddens load(Path dir) {
        TensorView last = Npy.read(dir.resolve("last.npy"));
        if (last.rank() != 3) throw new IllegalArgumentException(dir.resolve("last.npy") + ": expected [layers, n, d]");
        int L = last.shape()[0], n = last.shape()[1], d = last.shape()[2];
        float[] a = last.toFloatArray();
        float[] p = null;
        Path pp = dir.resolve("pairs.npy");
        if (Files.exists(pp)) {
            TensorView pv = Npy.read(pp);
            if (pv.rank() != 4 || pv.shape()[0] != L || pv.shape()[1] != n || pv.shape()[2] != 2 || pv.shape()[3] != d)
                throw new IllegalArgumentException(pp + ": expected [" + L + ", " + n + ", 2, " + d + "]");
            p = pv.toFloatArray();
        }
        List<LayerFeatures> layers = new ArrayList<>(L);
        for (int l = 0; l < L; l++) {
            double[][] x = new double[n][d];
            double[][][] pr = p == null ? null : new double[n][2][d];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < d; j++) {
                    x[i][j] = a[(l * n + i) * d + j];
                    if (pr != null) for (int c = 0; c < 2; c++) pr[i][c][j] = p[((l * n + i) * 2 + c) * d + j];
                }
            layers.add(new LayerFeatures(x, pr));
        }
        float[] lo = Npy.read(dir.resolve("lm_log_odds.npy")).toFloatArray();
        if (lo.length != n) throw new IllegalArgumentException(dir.resolve("lm_log_odds.npy") + ": expected " + n + " values");
        double[] lod = new double[n];
        for (int i = 0; i < n; i++) lod[i] = lo[i];
        return new ElkHiddens(layers, lod);
    }
}
