package vireo.tensor;

import java.util.Arrays;

/**
 * Dense 3-D convolutions in PyTorch's NCDHW layout, lowered to matrix products one depth slice at a time.
 *
 * <p>Both convolutions share one geometry: a "big" volume (conv input / transposed-conv output) and a "small"
 * volume (conv output / transposed-conv input). {@code im2col} gathers, for one small depth slice, every big-volume
 * value each kernel tap sees into a [C·kd·kh·kw, Ho·Wo] matrix; {@code col2im} scatters such a matrix back. Conv
 * forward is W·im2col, its input gradient is col2im(Wᵀ·dY); the transposed conv is the same pair run the other way
 * round. Work is split over (batch, depth slice) with {@link Parallel#forRange}; writes into the big volume
 * overlap between neighbouring slices, so those run in two phases of non-touching chunks (deterministic, no locks).
 * Peak scratch is one [K, Ho·Wo] matrix per thread, never the whole unfolded volume.
 */
public final class Conv {
    private Conv() {}

    /** Zero-padded 3-D convolution with one stride/padding/dilation per spatial axis (d, h, w). */
    public static Tensor conv3d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation) {
        if (x.rank() != 5 || weight.rank() != 5)
            throw new IllegalArgumentException("conv3d wants x [N,C,D,H,W] and weight [out,in,kd,kh,kw], got "
                    + Arrays.toString(x.shape) + " and " + Arrays.toString(weight.shape));
        int n = x.shape[0], cin = x.shape[1], cout = weight.shape[0];
        if (weight.shape[1] != cin)
            throw new IllegalArgumentException("conv3d weight expects " + weight.shape[1] + " input channels, x has " + cin);
        checkBias(bias, cout);
        int[] k = {weight.shape[2], weight.shape[3], weight.shape[4]};
        int[] small = new int[3];
        for (int a = 0; a < 3; a++) {
            small[a] = (x.shape[2 + a] + 2 * padding[a] - dilation[a] * (k[a] - 1) - 1) / stride[a] + 1;
            if (small[a] <= 0) throw new IllegalArgumentException("conv3d output would be empty for input " + Arrays.toString(x.shape));
        }
        Geometry g = new Geometry(cin, x.shape[2], x.shape[3], x.shape[4], small[0], small[1], small[2], k, stride, padding, dilation);
        int kk = g.rows(), p = g.plane(), smallVol = g.smallVolume(), rowsPer = g.tileRows(), tile = rowsPer * g.sw;
        Tensor out = Tensor.zeros(n, cout, small[0], small[1], small[2]);
        float[] w = weight.data;
        Slices.run(n, g.sd, 1, false, () -> new Workspace(kk * tile, cout * tile), (ws, b, s) -> {
            for (int y0 = 0; y0 < g.sh; y0 += rowsPer) {
                int y1 = Math.min(g.sh, y0 + rowsPer), pt = (y1 - y0) * g.sw;
                g.im2col(x.data, b * cin * g.bigVolume(), s, y0, y1, ws.col);
                Kernels.matmulNN(w, 0, ws.col, 0, ws.slice, 0, cout, pt, kk, false);
                for (int co = 0; co < cout; co++) {
                    int dst = (b * cout + co) * smallVol + s * p + y0 * g.sw;
                    float bv = bias == null ? 0f : bias.data[co];
                    for (int i = 0; i < pt; i++) out.data[dst + i] = ws.slice[co * pt + i] + bv;
                }
            }
        });
        return Tensor.record(out, "conv3d", () -> {
            float[] dy = out.grad;
            if (bias != null) bias.accumulate(channelSums(dy, n, cout, smallVol));
            boolean needX = x.requiresGrad(), needW = weight.requiresGrad();
            if (!needX && !needW) return;
            float[] dx = needX ? x.gradBuffer() : null;
            float[][] perSlice = needW ? new float[n * g.sd][] : null;
            Slices.run(n, g.sd, g.chunkForDisjointWrites(), needX, () -> new Workspace(kk * tile, cout * tile), (ws, b, s) -> {
                float[] dw = needW ? perSlice[b * g.sd + s] = new float[cout * kk] : null;
                for (int y0 = 0; y0 < g.sh; y0 += rowsPer) {
                    int y1 = Math.min(g.sh, y0 + rowsPer), pt = (y1 - y0) * g.sw;
                    for (int co = 0; co < cout; co++)
                        System.arraycopy(dy, (b * cout + co) * smallVol + s * p + y0 * g.sw, ws.slice, co * pt, pt);
                    if (needW) {
                        g.im2col(x.data, b * cin * g.bigVolume(), s, y0, y1, ws.col);
                        Kernels.matmulNT(ws.slice, 0, ws.col, 0, dw, 0, cout, kk, pt, true);
                    }
                    if (needX) {
                        Kernels.matmulTN(w, 0, ws.slice, 0, ws.col, 0, kk, pt, cout, false);
                        g.col2im(ws.col, dx, b * cin * g.bigVolume(), s, y0, y1);
                    }
                }
            });
            if (needW) weight.accumulate(sumInOrder(perSlice, cout * kk));
        }, x, weight, bias);
    }

    /** conv3d with the same stride, padding and dilation on every axis. */
    public static Tensor conv3d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation) {
        return conv3d(x, weight, bias, new int[]{stride, stride, stride}, new int[]{padding, padding, padding},
                new int[]{dilation, dilation, dilation});
    }

    /** conv3d on a reflection-padded input (padding_mode='reflect'): pad p on every side, then a zero-free conv. */
    public static Tensor conv3dReflect(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation) {
        Tensor padded = padding == 0 ? x : reflectionPad3d(x, padding);
        return conv3d(padded, weight, bias, stride, 0, dilation);
    }

    /**
     * Transposed 3-D convolution (the gradient of conv3d with respect to its input), weight [in, out, kd, kh, kw]
     * as in PyTorch's ConvTranspose3d; output size (in−1)·stride − 2·padding + dilation·(k−1) + outputPadding + 1.
     */
    public static Tensor convTranspose3d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int[] dilation) {
        if (x.rank() != 5 || weight.rank() != 5)
            throw new IllegalArgumentException("convTranspose3d wants x [N,C,D,H,W] and weight [in,out,kd,kh,kw], got "
                    + Arrays.toString(x.shape) + " and " + Arrays.toString(weight.shape));
        int n = x.shape[0], cin = x.shape[1], cout = weight.shape[1];
        if (weight.shape[0] != cin)
            throw new IllegalArgumentException("convTranspose3d weight expects " + weight.shape[0] + " input channels, x has " + cin);
        checkBias(bias, cout);
        int[] k = {weight.shape[2], weight.shape[3], weight.shape[4]};
        int[] big = new int[3];
        for (int a = 0; a < 3; a++) {
            if (outputPadding[a] >= Math.max(stride[a], dilation[a]))
                throw new IllegalArgumentException("output padding must be smaller than stride or dilation");
            big[a] = (x.shape[2 + a] - 1) * stride[a] - 2 * padding[a] + dilation[a] * (k[a] - 1) + outputPadding[a] + 1;
            if (big[a] <= 0) throw new IllegalArgumentException("convTranspose3d output would be empty for input " + Arrays.toString(x.shape));
        }
        Geometry g = new Geometry(cout, big[0], big[1], big[2], x.shape[2], x.shape[3], x.shape[4], k, stride, padding, dilation);
        int kk = g.rows(), p = g.plane(), smallVol = g.smallVolume(), bigVol = g.bigVolume();
        int rowsPer = g.tileRows(), tile = rowsPer * g.sw;
        Tensor out = Tensor.zeros(n, cout, big[0], big[1], big[2]);
        float[] w = weight.data;
        Slices.run(n, g.sd, g.chunkForDisjointWrites(), true, () -> new Workspace(kk * tile, cin * tile), (ws, b, s) -> {
            for (int y0 = 0; y0 < g.sh; y0 += rowsPer) {
                int y1 = Math.min(g.sh, y0 + rowsPer), pt = (y1 - y0) * g.sw;
                for (int ci = 0; ci < cin; ci++)
                    System.arraycopy(x.data, (b * cin + ci) * smallVol + s * p + y0 * g.sw, ws.slice, ci * pt, pt);
                Kernels.matmulTN(w, 0, ws.slice, 0, ws.col, 0, kk, pt, cin, false);
                g.col2im(ws.col, out.data, b * cout * bigVol, s, y0, y1);
            }
        });
        if (bias != null) {
            Parallel.forRange(n * cout, t -> {
                float bv = bias.data[t % cout];
                for (int i = t * bigVol, e = i + bigVol; i < e; i++) out.data[i] += bv;
            });
        }
        return Tensor.record(out, "convTranspose3d", () -> {
            float[] dy = out.grad;
            if (bias != null) bias.accumulate(channelSums(dy, n, cout, bigVol));
            boolean needX = x.requiresGrad(), needW = weight.requiresGrad();
            if (!needX && !needW) return;
            float[] dx = needX ? x.gradBuffer() : null;
            float[][] perSlice = needW ? new float[n * g.sd][] : null;
            Slices.run(n, g.sd, 1, false, () -> new Workspace(kk * tile, cin * tile), (ws, b, s) -> {
                float[] dw = needW ? perSlice[b * g.sd + s] = new float[cin * kk] : null;
                for (int y0 = 0; y0 < g.sh; y0 += rowsPer) {
                    int y1 = Math.min(g.sh, y0 + rowsPer), pt = (y1 - y0) * g.sw, at = s * p + y0 * g.sw;
                    g.im2col(dy, b * cout * bigVol, s, y0, y1, ws.col);
                    if (needX) {
                        Kernels.matmulNN(w, 0, ws.col, 0, ws.slice, 0, cin, pt, kk, false);
                        for (int ci = 0; ci < cin; ci++) {
                            int dst = (b * cin + ci) * smallVol + at;
                            for (int i = 0; i < pt; i++) dx[dst + i] += ws.slice[ci * pt + i];
                        }
                    }
                    if (needW) {
                        for (int ci = 0; ci < cin; ci++)
                            System.arraycopy(x.data, (b * cin + ci) * smallVol + at, ws.slice, ci * pt, pt);
                        Kernels.matmulNT(ws.slice, 0, ws.col, 0, dw, 0, cin, kk, pt, true);
                    }
                }
            });
            if (needW) weight.accumulate(sumInOrder(perSlice, cin * kk));
        }, x, weight, bias);
    }

    /** convTranspose3d with per-axis stride and padding, no output padding, dilation 1. */
    public static Tensor convTranspose3d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding) {
        return convTranspose3d(x, weight, bias, stride, padding, new int[3], new int[]{1, 1, 1});
    }

    /**
     * Reflection padding of the last three axes of [N, C, D, H, W]. {@code pad} is PyTorch's 6-tuple order:
     * (w_left, w_right, h_top, h_bottom, d_front, d_back); each must be smaller than its axis.
     */
    public static Tensor reflectionPad3d(Tensor x, int[] pad) {
        if (x.rank() != 5) throw new IllegalArgumentException("reflectionPad3d wants [N,C,D,H,W], got " + Arrays.toString(x.shape));
        if (pad.length != 6) throw new IllegalArgumentException("reflectionPad3d wants 6 paddings");
        int d = x.shape[2], h = x.shape[3], w = x.shape[4];
        if (pad[0] >= w || pad[1] >= w || pad[2] >= h || pad[3] >= h || pad[4] >= d || pad[5] >= d)
            throw new IllegalArgumentException("reflection padding " + Arrays.toString(pad) + " too large for " + Arrays.toString(x.shape));
        int od = d + pad[4] + pad[5], oh = h + pad[2] + pad[3], ow = w + pad[0] + pad[1];
        int[] srcD = reflectIndex(d, pad[4], od), srcH = reflectIndex(h, pad[2], oh), srcW = reflectIndex(w, pad[0], ow);
        int planes = x.shape[0] * x.shape[1];
        Tensor out = Tensor.zeros(x.shape[0], x.shape[1], od, oh, ow);
        Parallel.forRange(planes, c -> {
            int src = c * d * h * w, dst = c * od * oh * ow;
            for (int i = 0; i < od; i++)
                for (int j = 0; j < oh; j++) {
                    int s = src + (srcD[i] * h + srcH[j]) * w, o = dst + (i * oh + j) * ow;
                    for (int q = 0; q < ow; q++) out.data[o + q] = x.data[s + srcW[q]];
                }
        });
        return Tensor.record(out, "reflectionPad3d", () -> {
            float[] dx = x.gradBuffer(), dy = out.grad;
            Parallel.forRange(planes, c -> {
                int src = c * d * h * w, dst = c * od * oh * ow;
                for (int i = 0; i < od; i++)
                    for (int j = 0; j < oh; j++) {
                        int s = src + (srcD[i] * h + srcH[j]) * w, o = dst + (i * oh + j) * ow;
                        for (int q = 0; q < ow; q++) dx[s + srcW[q]] += dy[o + q];
                    }
            });
        }, x);
    }

    /** Reflection padding by {@code p} on all six sides, as nn.ReflectionPad3d(p). */
    public static Tensor reflectionPad3d(Tensor x, int p) { return reflectionPad3d(x, new int[]{p, p, p, p, p, p}); }

    /**
     * Mamba's short causal depthwise convolution on [B, C, T] (PyTorch Conv1d layout, groups = C): weight [C, 1, K]
     * (or [C, K]), bias [C] or null; left-padded by K−1 so y[t] sees x[t−K+1 … t]:
     * y[b,c,t] = bias[c] + Σⱼ w[c,j]·x[b,c,t−(K−1)+j]. A single sequence [T, C] must be permuted to [1, C, T] first.
     */
    public static Tensor causalDepthwiseConv1d(Tensor x, Tensor weight, Tensor bias) {
        if (x.rank() != 3) throw new IllegalArgumentException("causalDepthwiseConv1d wants x [B, C, T], got " + Arrays.toString(x.shape));
        int nb = x.shape[0], c = x.shape[1], t = x.shape[2], k = weight.dim(-1);
        if (weight.size() != c * k) throw new IllegalArgumentException("weight " + Arrays.toString(weight.shape) + " is not [" + c + ", 1, K]");
        checkBias(bias, c);
        Tensor out = Tensor.zeros(x.shape);
        float[] xs = x.data, w = weight.data;
        Parallel.forRange(nb * c, row -> {
            int ch = row % c, off = row * t;
            float bv = bias == null ? 0f : bias.data[ch];
            for (int i = 0; i < t; i++) {
                float s = bv;
                for (int j = Math.max(0, k - 1 - i); j < k; j++) s += w[ch * k + j] * xs[off + i - (k - 1) + j];
                out.data[off + i] = s;
            }
        });
        return Tensor.record(out, "causalDepthwiseConv1d", () -> {
            float[] dy = out.grad;
            float[] dx = x.requiresGrad() ? x.gradBuffer() : null;
            float[] gw = weight.requiresGrad() ? weight.gradBuffer() : null;
            float[] gb = bias != null && bias.requiresGrad() ? bias.gradBuffer() : null;
            for (int row = 0; row < nb * c; row++) {
                int ch = row % c, off = row * t;
                for (int i = 0; i < t; i++) {
                    float g = dy[off + i];
                    if (gb != null) gb[ch] += g;
                    for (int j = Math.max(0, k - 1 - i); j < k; j++) {
                        int src = off + i - (k - 1) + j;
                        if (gw != null) gw[ch * k + j] += g * xs[src];
                        if (dx != null) dx[src] += g * w[ch * k + j];
                    }
                }
            }
        }, x, weight, bias);
    }

    private static int[] reflectIndex(int size, int before, int padded) {
        int[] idx = new int[padded];
        for (int i = 0; i < padded; i++) {
            int s = i - before;
            if (s < 0) s = -s;
            if (s >= size) s = 2 * (size - 1) - s;
            idx[i] = s;
        }
        return idx;
    }

    private static void checkBias(Tensor bias, int channels) {
        if (bias != null && (bias.rank() != 1 || bias.shape[0] != channels))
            throw new IllegalArgumentException("bias must have shape [" + channels + "], got " + Arrays.toString(bias.shape));
    }

    static float[] channelSums(float[] dy, int n, int c, int vol) {
        float[] s = new float[c];
        Parallel.forRange(c, ch -> {
            double acc = 0;
            for (int b = 0; b < n; b++)
                for (int i = (b * c + ch) * vol, e = i + vol; i < e; i++) acc += dy[i];
            s[ch] = (float) acc;
        });
        return s;
    }

    /**
     * Weight-gradient shares, one per (batch, slice), summed in slice order so the result does not depend on
     * the thread count or scheduling (deterministic training).
     */
    private static float[] sumInOrder(float[][] perSlice, int size) {
        float[] total = new float[size];
        Parallel.forRange((size + 1023) / 1024, blk -> {
            int lo = blk * 1024, hi = Math.min(size, lo + 1024);
            for (float[] part : perSlice) for (int i = lo; i < hi; i++) total[i] += part[i];
        });
        return total;
    }

    /** Per-task scratch: an unfolded tile and a channel tile. */
    private static final class Workspace {
        final float[] col, slice;

        Workspace(int colSize, int sliceSize) {
            col = new float[colSize];
            slice = new float[sliceSize];
        }
    }

    private interface SliceBody { void run(Workspace ws, int batch, int slice); }

    /** The (batch, depth-slice) work split. */
    private static final class Slices {
        /**
         * Runs body for every (batch, slice); slices are grouped into chunks of {@code chunk}. When
         * {@code phased}, even chunks run before odd ones so chunks running together never write the same values.
         */
        static void run(int batch, int depth, int chunk, boolean phased, java.util.function.Supplier<Workspace> make, SliceBody body) {
            int chunks = (depth + chunk - 1) / chunk;
            // A free list rather than a ThreadLocal: if a kernel inside body joins nested parallel work, the
            // worker may run another of our tasks meanwhile, and that task must not get the same scratch.
            java.util.concurrent.ConcurrentLinkedDeque<Workspace> free = new java.util.concurrent.ConcurrentLinkedDeque<>();
            int phases = phased ? 2 : 1;
            for (int phase = 0; phase < phases; phase++) {
                int per = phased ? (chunks - phase + 1) / 2 : chunks;
                if (per <= 0) continue;
                int ph = phase;
                Parallel.forRange(batch * per, t -> {
                    int b = t / per, j = phased ? (t % per) * 2 + ph : t % per;
                    Workspace ws = free.pollFirst();
                    if (ws == null) ws = make.get();
                    for (int s = j * chunk, e = Math.min(depth, s + chunk); s < e; s++) body.run(ws, b, s);
                    free.addFirst(ws);
                });
            }
        }
    }

    /** Index arithmetic between a big volume [C, D, H, W] and a small one [Ds, Hs, Ws] under a kernel. */
    private record Geometry(int channels, int d, int h, int w, int sd, int sh, int sw, int[] k, int[] stride,
                            int[] pad, int[] dil) {
        int rows() { return channels * k[0] * k[1] * k[2]; }

        int plane() { return sh * sw; }

        /**
         * Output rows per tile: an unfolded tile [K, rows·Ws] of about 512 KB stays in L2 while the matrix
         * product sweeps it once per output channel, instead of streaming a whole slice from memory each time.
         */
        int tileRows() { return Math.max(1, Math.min(sh, 128 * 1024 / (rows() * sw))); }

        int smallVolume() { return sd * sh * sw; }

        int bigVolume() { return d * h * w; }

        /** Consecutive small slices per chunk so that chunk j and chunk j+2 touch disjoint big slices. */
        int chunkForDisjointWrites() { return (k[0] - 1) * dil[0] / stride[0] + 1; }

        /** col[(c,a,b,e), (y,x)] = big[c, s·σd−pd+a·δd, y·σh−ph+b·δh, x·σw−pw+e·δw] (0 outside). */
        void im2col(float[] big, int bigOff, int s, int y0, int y1, float[] col) {
            int p = (y1 - y0) * sw, row = 0;
            for (int c = 0; c < channels; c++)
                for (int a = 0; a < k[0]; a++) {
                    int id = s * stride[0] - pad[0] + a * dil[0];
                    for (int b = 0; b < k[1]; b++)
                        for (int e = 0; e < k[2]; e++, row++) {
                            int rowOff = row * p;
                            if (id < 0 || id >= d) {
                                Arrays.fill(col, rowOff, rowOff + p, 0f);
                                continue;
                            }
                            int base = bigOff + (c * d + id) * h * w;
                            int x0 = e * dil[2] - pad[2];
                            for (int y = y0; y < y1; y++) {
                                int ih = y * stride[1] - pad[1] + b * dil[1], dst = rowOff + (y - y0) * sw;
                                if (ih < 0 || ih >= h) {
                                    Arrays.fill(col, dst, dst + sw, 0f);
                                    continue;
                                }
                                int src = base + ih * w;
                                if (stride[2] == 1) {
                                    int lo = Math.max(0, -x0), hi = Math.min(sw, w - x0);
                                    if (hi <= lo) {
                                        Arrays.fill(col, dst, dst + sw, 0f);
                                        continue;
                                    }
                                    if (lo > 0) Arrays.fill(col, dst, dst + lo, 0f);
                                    System.arraycopy(big, src + x0 + lo, col, dst + lo, hi - lo);
                                    if (hi < sw) Arrays.fill(col, dst + hi, dst + sw, 0f);
                                } else {
                                    for (int x = 0; x < sw; x++) {
                                        int iw = x * stride[2] + x0;
                                        col[dst + x] = iw >= 0 && iw < w ? big[src + iw] : 0f;
                                    }
                                }
                            }
                        }
                }
        }

        /** The adjoint of {@link #im2col}: big[...] += col[...]. */
        void col2im(float[] col, float[] big, int bigOff, int s, int y0, int y1) {
            int p = (y1 - y0) * sw, row = 0;
            for (int c = 0; c < channels; c++)
                for (int a = 0; a < k[0]; a++) {
                    int id = s * stride[0] - pad[0] + a * dil[0];
                    for (int b = 0; b < k[1]; b++)
                        for (int e = 0; e < k[2]; e++, row++) {
                            if (id < 0 || id >= d) continue;
                            int rowOff = row * p, base = bigOff + (c * d + id) * h * w, x0 = e * dil[2] - pad[2];
                            for (int y = y0; y < y1; y++) {
                                int ih = y * stride[1] - pad[1] + b * dil[1];
                                if (ih < 0 || ih >= h) continue;
                                int src = rowOff + (y - y0) * sw, dst = base + ih * w;
                                if (stride[2] == 1) {
                                    int lo = Math.max(0, -x0), hi = Math.min(sw, w - x0);
                                    for (int x = lo; x < hi; x++) big[dst + x0 + x] += col[src + x];
                                } else {
                                    for (int x = 0; x < sw; x++) {
                                        int iw = x * stride[2] + x0;
                                        if (iw >= 0 && iw < w) big[dst + iw] += col[src + x];
                                    }
                                }
                            }
                        }
                }
        }
    }
}
