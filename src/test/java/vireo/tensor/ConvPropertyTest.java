package vireo.tensor;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * conv3d against the definition written as plain nested loops, and convTranspose3d against its defining
 * identity ⟨conv(x), y⟩ = ⟨x, convᵀ(y)⟩, over random geometries (jqwik) and one shape large enough to be
 * unfolded in several row tiles.
 */
class ConvPropertyTest {
    static float[] directConv(Tensor x, Tensor w, int[] s, int[] p, int[] dl, int[] out) {
        int n = x.shape[0], ci = x.shape[1], d = x.shape[2], h = x.shape[3], wd = x.shape[4], co = w.shape[0];
        int kd = w.shape[2], kh = w.shape[3], kw = w.shape[4];
        float[] y = new float[n * co * out[0] * out[1] * out[2]];
        int at = 0;
        for (int b = 0; b < n; b++) for (int o = 0; o < co; o++)
            for (int z = 0; z < out[0]; z++) for (int r = 0; r < out[1]; r++) for (int c = 0; c < out[2]; c++, at++) {
                double acc = 0;
                for (int i = 0; i < ci; i++) for (int a = 0; a < kd; a++) for (int bb = 0; bb < kh; bb++) for (int e = 0; e < kw; e++) {
                    int iz = z * s[0] - p[0] + a * dl[0], ir = r * s[1] - p[1] + bb * dl[1], ic = c * s[2] - p[2] + e * dl[2];
                    if (iz < 0 || iz >= d || ir < 0 || ir >= h || ic < 0 || ic >= wd) continue;
                    acc += (double) w.data[(((o * ci + i) * kd + a) * kh + bb) * kw + e] * x.data[(((b * ci + i) * d + iz) * h + ir) * wd + ic];
                }
                y[at] = (float) acc;
            }
        return y;
    }

    private static void assertMatchesDefinition(Tensor x, Tensor w, int[] s, int[] p, int[] dl) {
        Tensor y = Conv.conv3d(x, w, null, s, p, dl);
        float[] ref = directConv(x, w, s, p, dl, new int[]{y.shape[2], y.shape[3], y.shape[4]});
        for (int i = 0; i < ref.length; i++) assertEquals(ref[i], y.data[i], 1e-4f * (1 + Math.abs(ref[i])), "element " + i);
    }

    @Property(tries = 40, seed = "7")
    void conv3dMatchesNestedLoops(@ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 2) int stride,
                                  @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll @IntRange(min = 1, max = 2) int dil,
                                  @ForAll @IntRange(min = 1, max = 3) int cin, @ForAll @IntRange(min = 5, max = 7) int size) {
        Tensor x = GradCheck.param(size * 31 + k, 2, cin, size, size - 1, size + 1);
        Tensor w = GradCheck.param(k * 7 + cin, 2, cin, k, Math.max(1, k - 1), k);
        assertMatchesDefinition(x, w, new int[]{stride, 1, stride}, new int[]{pad, pad / 2, pad}, new int[]{dil, 1, dil});
    }

    @Property(tries = 30, seed = "11")
    void convTransposeIsTheAdjointOfConv(@ForAll @IntRange(min = 1, max = 4) int k, @ForAll @IntRange(min = 1, max = 3) int stride,
                                         @ForAll @IntRange(min = 0, max = 1) int pad, @ForAll @IntRange(min = 1, max = 2) int dil) {
        int[] s = {stride, 1, stride}, p = {pad, pad, 0}, dl = {dil, dil, 1};
        Tensor w = GradCheck.param(k * 13 + stride, 3, 2, k, k, k);
        Tensor x = GradCheck.param(99, 1, 2, 9, 8, 10);
        Tensor y = Conv.conv3d(x, w, null, s, p, dl);
        Tensor r = GradCheck.param(5, y.shape);
        // the transposed conv of r must land exactly on x's shape: pick the output padding that restores it
        int[] outPad = new int[3];
        for (int a = 0; a < 3; a++) outPad[a] = x.shape[2 + a] - ((y.shape[2 + a] - 1) * s[a] - 2 * p[a] + dl[a] * (k - 1) + 1);
        for (int a = 0; a < 3; a++) if (outPad[a] >= Math.max(s[a], dl[a])) return;  // unreachable size for this geometry
        Tensor xt = Conv.convTranspose3d(r, w, null, s, p, outPad, dl);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < y.size(); i++) lhs += (double) y.data[i] * r.data[i];
        for (int i = 0; i < x.size(); i++) rhs += (double) x.data[i] * xt.data[i];
        assertEquals(lhs, rhs, 1e-3 * (1 + Math.abs(lhs)));
    }

    @Test
    void decoderWidthLayerSpansSeveralRowTiles() {
        // 16 input channels · 27 taps · 16 wide: 18 output rows per unfolded tile, so 40 rows take three tiles
        Tensor x = GradCheck.param(1, 1, 16, 3, 40, 16), w = GradCheck.param(2, 4, 16, 3, 3, 3);
        assertMatchesDefinition(x, w, new int[]{1, 1, 1}, new int[]{1, 1, 1}, new int[]{1, 1, 1});
        assertMatchesDefinition(x, w, new int[]{1, 2, 1}, new int[]{0, 2, 1}, new int[]{1, 2, 1});
    }
}
