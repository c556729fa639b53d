package vireo.tpc;

import vireo.sparse.KernelMap;
import vireo.tensor.Parallel;
import vireo.tensor.Tensor;


/**
 * The BCAE-VS encoder for inference on one wedge, run per active voxel straight off a dense voxel→row grid: the same
 * submanifold convolutions as {@link BcaeVs#encode} (MinkowskiEngine offset order, neighbours outside the wedge or
 * inactive contribute nothing), without kernel-map lists or GEMM calls. The grid has a border of inactive voxels
 * as wide as the largest dilation, and an inactive voxel points at row 0, which holds zeros (signal rows are 1..n):
 * a neighbour is one add and one load, with no bounds test and no branch. With 1–2 channels a
 * layer is 27 lookups and ≤ 108 multiply-adds per voxel: the cost follows the number of signal voxels — the
 * variable-rate property the paper claims (the sparser the wedge, the faster).
 */
final class WedgeEncoder {
    private static final int PAD = 4; // the largest dilation
    private static final int PZ = Wedge.Z + 2 * PAD, PL = Wedge.LAYERS + 2 * PAD, PA = Wedge.AZIMUTH + 2 * PAD;
    private static final int CHUNK = 8192;
    /** padded voxel → row (1..n), 0 when inactive; reset after each wedge by clearing only the entries written. */
    private static final ThreadLocal<int[]> GRID = ThreadLocal.withInitial(() -> new int[PA * PZ * PL]);

    private final Tensor[] encoder;

    WedgeEncoder(Tensor[] encoder) {
        this.encoder = encoder; // live weights: nothing copied, never stale
        for (int i = 0; i < 4; i++)
            if (encoder[i].dim(2) != 2 || encoder[i].dim(1) > 2) throw new IllegalArgumentException("BCAE-VS encoder layers are 1→2 or 2→2 channels");
    }

    private static int padded(int voxel) {
        int a = voxel / (Wedge.Z * Wedge.LAYERS), z = voxel / Wedge.LAYERS % Wedge.Z, l = voxel % Wedge.LAYERS;
        return ((a + PAD) * PZ + z + PAD) * PL + l + PAD;
    }

    BcaeVs.Encoded encode(Wedge w) {
        float[] x = w.log();
        int n = 0;
        for (float v : x) if (v != 0f) n++;
        int[] idx = new int[n], at = new int[n];
        float[] h = new float[n + 1]; // row 0: the zero row inactive neighbours read
        for (int i = 0, r = 0; i < x.length; i++) {
            if (x[i] != 0f) {
                idx[r] = i;
                at[r] = padded(i);
                h[++r] = x[i];
            }
        }
        int[] grid = GRID.get();
        for (int r = 0; r < n; r++) grid[at[r]] = r + 1;
        try {
            for (int layer = 0; layer < 4; layer++) h = conv3(grid, at, h, encoder[layer], BcaeVs.DILATIONS[layer]);
        } finally {
            for (int r = 0; r < n; r++) grid[at[r]] = 0;
        }
        float[] p = new float[n], q = new float[n], k = encoder[4].data;
        for (int r = 0; r < n; r++) {
            float a = h[2 * (r + 1)], b = h[2 * (r + 1) + 1];
            p[r] = sigmoid(a * k[0] + b * k[2]);
            q[r] = sigmoid(a * k[1] + b * k[3]);
        }
        return new BcaeVs.Encoded(idx, p, q);
    }

    /** One 3×3×3 submanifold layer (C_in 1 or 2 → 2) + ReLU; rows are independent, so chunks run in parallel. */
    private static float[] conv3(int[] grid, int[] at, float[] in, Tensor weight, int dilation) {
        int n = at.length, ci = weight.dim(1);
        float[] w = weight.data, out = new float[(n + 1) * 2];
        int[] step = new int[KernelMap.VOLUME];
        for (int k = 0; k < KernelMap.VOLUME; k++) {
            int[] o = KernelMap.offset(k, dilation);
            step[k] = (o[0] * PZ + o[1]) * PL + o[2];
        }
        java.util.function.IntConsumer body = c -> {
            for (int r = c * CHUNK, end = Math.min(n, r + CHUNK); r < end; r++) {
                float acc0 = 0f, acc1 = 0f;
                int base = at[r];
                if (ci == 1) {
                    for (int k = 0; k < KernelMap.VOLUME; k++) {
                        float x0 = in[grid[base + step[k]]];
                        acc0 += x0 * w[2 * k];
                        acc1 += x0 * w[2 * k + 1];
                    }
                } else {
                    for (int k = 0; k < KernelMap.VOLUME; k++) {
                        int src = grid[base + step[k]];
                        float x0 = in[2 * src], x1 = in[2 * src + 1];
                        int wk = 4 * k; // W_k is [C_in][C_out]
                        acc0 += x0 * w[wk] + x1 * w[wk + 2];
                        acc1 += x0 * w[wk + 1] + x1 * w[wk + 3];
                    }
                }
                out[2 * r + 2] = Math.max(acc0, 0f);
                out[2 * r + 3] = Math.max(acc1, 0f);
            }
        };
        int chunks = (n + CHUNK - 1) / CHUNK;
        if (chunks > 1 && Parallel.threads() > 1) Parallel.forRange(chunks, body);
        else for (int c = 0; c < chunks; c++) body.accept(c);
        return out;
    }

    private static float sigmoid(float v) { return 1f / (1f + (float) Math.exp(-v)); }
}
