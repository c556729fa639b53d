package vireo.sparse;

import vireo.tensor.Kernels;
import vireo.tensor.Parallel;
import vireo.tensor.Tensor;

/**
 * Submanifold sparse convolution (stride 1, output sites = input sites), MinkowskiEngine semantics:
 * {@code y_u = Σ_k W_kᵀ · x_{u + offset_k}} over the active neighbours, no bias. Weights are
 * [kernel_volume, C_in, C_out] with ME's offset order (see {@link KernelMap}).
 *
 * <p>Dataflow is gather–GEMM–scatter per kernel offset: gather the input rows of offset k into a [m, C_in] block,
 * multiply by W_k [C_in, C_out] with {@link Kernels}, scatter-add into the output rows. Forward and backward sit next
 * to each other and are wired into autograd with {@link Tensor#record}.
 */
public final class SparseConv {
    private SparseConv() {}

    private static final int CHUNK = 4096;

    /** 3×3×3 submanifold convolution at {@code dilation}; weight [27, C_in, C_out]. */
    public static SparseTensor conv3(SparseTensor x, Tensor weight, int dilation) {
        int cin = x.channels(), cout = weight.dim(2);
        if (weight.rank() != 3 || weight.dim(0) != KernelMap.VOLUME || weight.dim(1) != cin)
            throw new IllegalArgumentException("weight must be [27, " + cin + ", C_out], got " + java.util.Arrays.toString(weight.shape));
        KernelMap map = x.kernelMap(dilation);
        Tensor in = x.features;
        Tensor out = Tensor.zeros(x.n, cout);
        for (int k = 0; k < KernelMap.VOLUME; k++) {
            int[] src = map.in[k], dst = map.out[k];
            int wOff = k * cin * cout;
            forChunks(src.length, (lo, hi) -> {
                int m = hi - lo;
                float[] a = gather(in.data, src, lo, hi, cin);
                float[] c = new float[m * cout];
                Kernels.matmulNN(a, 0, weight.data, wOff, c, 0, m, cout, cin, false);
                scatterAdd(c, out.data, dst, lo, hi, cout);
            });
        }
        Tensor.record(out, "sparse_conv3_d" + dilation, () -> backward(map, in, weight, out, cin, cout), in, weight);
        return x.withFeatures(out);
    }

    private static void backward(KernelMap map, Tensor in, Tensor weight, Tensor out, int cin, int cout) {
        float[] gOut = out.grad;
        if (in.requiresGrad()) {
            float[] gIn = in.gradBuffer();
            for (int k = 0; k < KernelMap.VOLUME; k++) {
                int[] src = map.in[k], dst = map.out[k];
                int wOff = k * cin * cout;
                forChunks(src.length, (lo, hi) -> {
                    // dL/dx_src = dL/dy_dst · W_kᵀ: W_k is [C_in, C_out] = "[n, k]" for matmulNT
                    float[] g = gather(gOut, dst, lo, hi, cout);
                    float[] c = new float[(hi - lo) * cin];
                    Kernels.matmulNT(g, 0, weight.data, wOff, c, 0, hi - lo, cin, cout, false);
                    scatterAdd(c, gIn, src, lo, hi, cin);
                });
            }
        }
        if (weight.requiresGrad()) {
            float[] gW = weight.gradBuffer();
            Parallel.forRange(KernelMap.VOLUME, k -> {
                int[] src = map.in[k], dst = map.out[k];
                int m = src.length;
                if (m == 0) return;
                // dL/dW_k = X_srcᵀ · G_dst  ([C_in, m] · [m, C_out])
                float[] a = gather(in.data, src, 0, m, cin);
                float[] g = gather(gOut, dst, 0, m, cout);
                Kernels.matmulTN(a, 0, g, 0, gW, k * cin * cout, cin, cout, m, true);
            });
        }
    }

    /** 1×1×1 convolution: a per-site matrix product with weight [C_in, C_out] (ME stores k=1 kernels 2-D). */
    public static SparseTensor conv1(SparseTensor x, Tensor weight) {
        int cin = x.channels(), cout = weight.dim(1);
        if (weight.rank() != 2 || weight.dim(0) != cin)
            throw new IllegalArgumentException("weight must be [" + cin + ", C_out], got " + java.util.Arrays.toString(weight.shape));
        Tensor in = x.features;
        Tensor out = Tensor.zeros(x.n, cout);
        forChunks(x.n, (lo, hi) -> Kernels.matmulNN(in.data, lo * cin, weight.data, 0, out.data, lo * cout, hi - lo, cout, cin, false));
        Tensor.record(out, "sparse_conv1", () -> {
            if (in.requiresGrad()) {
                float[] gIn = in.gradBuffer();
                forChunks(x.n, (lo, hi) -> Kernels.matmulNT(out.grad, lo * cout, weight.data, 0, gIn, lo * cin, hi - lo, cin, cout, true));
            }
            if (weight.requiresGrad())
                Kernels.matmulTN(in.data, 0, out.grad, 0, weight.gradBuffer(), 0, cin, cout, x.n, true);
        }, in, weight);
        return x.withFeatures(out);
    }

    private static float[] gather(float[] src, int[] rows, int lo, int hi, int c) {
        float[] a = new float[(hi - lo) * c];
        for (int j = lo; j < hi; j++) System.arraycopy(src, rows[j] * c, a, (j - lo) * c, c);
        return a;
    }

    private static void scatterAdd(float[] block, float[] dst, int[] rows, int lo, int hi, int c) {
        for (int j = lo; j < hi; j++) {
            int d = rows[j] * c, s = (j - lo) * c;
            for (int i = 0; i < c; i++) dst[d + i] += block[s + i];
        }
    }

    interface Range { void run(int lo, int hi); }

    /** Splits [0, n) into chunks run in parallel; callers guarantee chunks write disjoint rows. */
    private static void forChunks(int n, Range body) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.forRange(chunks, c -> body.run(c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
    }
}
