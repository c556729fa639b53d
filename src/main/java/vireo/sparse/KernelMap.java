package vireo.sparse;

import vireo.tensor.Parallel;

/**
 * For a submanifold convolution (output sites = input sites) with a 3×3×3 kernel at one dilation: for each kernel
 * offset k, the pairs (in[k][j], out[k][j]) such that input row in[k][j] sits at out-site + offset_k. Built once per
 * input and dilation and reused by every layer of that dilation (BCAE-VS layers 2 and 4 share dilation 2).
 *
 * <p>Offset order is MinkowskiEngine's (HYPER_CUBE, first spatial axis fastest): k = i0 + 3·i1 + 9·i2 and
 * offset_axis = (i_axis − 1)·dilation, so weights trained with MinkowskiEngine load unchanged.
 * Within one offset every output row appears at most once, so a scatter over one offset never collides.
 */
public final class KernelMap {
    public static final int VOLUME = 27;
    public final int dilation;
    public final int[][] in = new int[VOLUME][], out = new int[VOLUME][];

    private KernelMap(int dilation) { this.dilation = dilation; }

    /** The spatial offset (da, dz, dl) of kernel index k at this dilation. */
    public static int[] offset(int k, int dilation) {
        return new int[]{(k % 3 - 1) * dilation, (k / 3 % 3 - 1) * dilation, (k / 9 - 1) * dilation};
    }

    public static KernelMap build(int[] coords, int n, CoordinateIndex index, int dilation) {
        KernelMap m = new KernelMap(dilation);
        Parallel.forRange(VOLUME, k -> {
            int[] o = offset(k, dilation);
            int[] ins = new int[n], outs = new int[n];
            int c = 0;
            for (int r = 0; r < n; r++) {
                int src = index.find(coords[4 * r], coords[4 * r + 1] + o[0], coords[4 * r + 2] + o[1], coords[4 * r + 3] + o[2]);
                if (src >= 0) {
                    ins[c] = src;
                    outs[c] = r;
                    c++;
                }
            }
            m.in[k] = java.util.Arrays.copyOf(ins, c);
            m.out[k] = java.util.Arrays.copyOf(outs, c);
        });
        return m;
    }

    /** Total number of (input, output) pairs over all offsets. */
    public long pairs() {
        long s = 0;
        for (int[] a : in) s += a.length;
        return s;
    }
}
