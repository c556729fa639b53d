package vireo.tensor;

import java.util.Arrays;

/**
 * Elementwise arithmetic with NumPy broadcasting, reductions, softmax, matrix products and shape ops. Every op
 * computes its forward and, right below, records the backward that turns dL/dy into dL/d(each input).
 */
public final class Ops {
    private Ops() {}

    // ---- broadcasting binary ops -------------------------------------------------------------------------------

    /** ∂f/∂a or ∂f/∂b at (a, b) with output y. */
    @FunctionalInterface
    interface Partial { float at(float a, float b, float y); }

    @FunctionalInterface
    interface Binary { float apply(float a, float b); }

    /** z[i] = f(x[i], y[i]) over [lo, hi): each op's own loop, so the JIT vectorises it for that op alone. */
    @FunctionalInterface
    interface SameShapeForward { void run(float[] x, float[] y, float[] z, int lo, int hi); }

    /** g[i] += dy[i]·∂f/∂(one operand) over [lo, hi), given both operands a, b and the output z. */
    @FunctionalInterface
    interface SameShapeBackward { void run(float[] dy, float[] a, float[] b, float[] z, float[] g, int lo, int hi); }

    public static Tensor add(Tensor a, Tensor b) {
        return binary(a, b, "add", Float::sum, (x, y, o) -> 1f, (x, y, o) -> 1f,
                (x, y, z, lo, hi) -> { for (int i = lo; i < hi; i++) z[i] = x[i] + y[i]; },
                (dy, x, y, z, g, lo, hi) -> { for (int i = lo; i < hi; i++) g[i] += dy[i]; },
                (dy, x, y, z, g, lo, hi) -> { for (int i = lo; i < hi; i++) g[i] += dy[i]; });
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return binary(a, b, "sub", (x, y) -> x - y, (x, y, o) -> 1f, (x, y, o) -> -1f,
                (x, y, z, lo, hi) -> { for (int i = lo; i < hi; i++) z[i] = x[i] - y[i]; },
                (dy, x, y, z, g, lo, hi) -> { for (int i = lo; i < hi; i++) g[i] += dy[i]; },
                (dy, x, y, z, g, lo, hi) -> { for (int i = lo; i < hi; i++) g[i] -= dy[i]; });
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return binary(a, b, "mul", (x, y) -> x * y, (x, y, o) -> y, (x, y, o) -> x,
                (x, y, z, lo, hi) -> { for (int i = lo; i < hi; i++) z[i] = x[i] * y[i]; },
                (dy, x, y, z, g, lo, hi) -> { for (int i = lo; i < hi; i++) g[i] += dy[i] * y[i]; },
                (dy, x, y, z, g, lo, hi) -> { for (int i = lo; i < hi; i++) g[i] += dy[i] * x[i]; });
    }

    /** a / b; ∂/∂b = −(a/b)/b. */
    public static Tensor div(Tensor a, Tensor b) {
        return binary(a, b, "div", (x, y) -> x / y, (x, y, o) -> 1f / y, (x, y, o) -> -o / y,
                (x, y, z, lo, hi) -> { for (int i = lo; i < hi; i++) z[i] = x[i] / y[i]; },
                (dy, x, y, z, g, lo, hi) -> { for (int i = lo; i < hi; i++) g[i] += dy[i] / y[i]; },
                (dy, x, y, z, g, lo, hi) -> { for (int i = lo; i < hi; i++) g[i] -= dy[i] * z[i] / y[i]; });
    }

    public static Tensor add(Tensor a, float s) {
        Tensor out = Tensor.zeros(a.shape);
        float[] x = a.data, z = out.data;
        Activations.Blocks.run(x.length, (lo, hi) -> { for (int i = lo; i < hi; i++) z[i] = x[i] + s; });
        return Tensor.record(out, "addScalar", () -> {
            float[] g = a.gradBuffer(), dy = out.grad;
            Activations.Blocks.run(x.length, (lo, hi) -> { for (int i = lo; i < hi; i++) g[i] += dy[i]; });
        }, a);
    }

    public static Tensor sub(Tensor a, float s) { return add(a, -s); }

    public static Tensor mul(Tensor a, float s) {
        Tensor out = Tensor.zeros(a.shape);
        float[] x = a.data, z = out.data;
        Activations.Blocks.run(x.length, (lo, hi) -> { for (int i = lo; i < hi; i++) z[i] = x[i] * s; });
        return Tensor.record(out, "mulScalar", () -> {
            float[] g = a.gradBuffer(), dy = out.grad;
            Activations.Blocks.run(x.length, (lo, hi) -> { for (int i = lo; i < hi; i++) g[i] += dy[i] * s; });
        }, a);
    }

    public static Tensor div(Tensor a, float s) { return Activations.pointwise(a, "divScalar", v -> v / s, (v, y) -> 1f / s); }

    /**
     * z = f(a, b) over the broadcast shape (NumPy rules: align trailing axes, size-1 axes stretch). Backward sums
     * each operand's gradient over the axes it was stretched along. Equal shapes take the op's own loops.
     */
    static Tensor binary(Tensor a, Tensor b, String name, Binary f, Partial da, Partial db,
                         SameShapeForward fwd, SameShapeBackward gradA, SameShapeBackward gradB) {
        int[] shape = broadcastShape(a.shape, b.shape);
        Tensor out = Tensor.zeros(shape);
        int n = out.size();
        float[] av = a.data, bv = b.data, o = out.data;
        if (Arrays.equals(a.shape, shape) && Arrays.equals(b.shape, shape)) {
            Activations.Blocks.run(n, (lo, hi) -> fwd.run(av, bv, o, lo, hi));
            return Tensor.record(out, name, () -> {
                float[] dy = out.grad;
                if (a.requiresGrad()) {
                    float[] ga = a.gradBuffer();
                    Activations.Blocks.run(n, (lo, hi) -> gradA.run(dy, av, bv, o, ga, lo, hi));
                }
                if (b.requiresGrad()) {
                    float[] gb = b.gradBuffer();
                    Activations.Blocks.run(n, (lo, hi) -> gradB.run(dy, av, bv, o, gb, lo, hi));
                }
            }, a, b);
        }
        int[] ai = broadcastIndex(a.shape, shape), bi = broadcastIndex(b.shape, shape);
        Activations.Blocks.run(n, (lo, hi) -> { for (int i = lo; i < hi; i++) o[i] = f.apply(av[ai[i]], bv[bi[i]]); });
        return Tensor.record(out, name, () -> {
            float[] dy = out.grad;
            if (a.requiresGrad()) {
                float[] g = a.gradBuffer();
                for (int i = 0; i < n; i++) g[ai[i]] += dy[i] * da.at(av[ai[i]], bv[bi[i]], o[i]);
            }
            if (b.requiresGrad()) {
                float[] g = b.gradBuffer();
                for (int i = 0; i < n; i++) g[bi[i]] += dy[i] * db.at(av[ai[i]], bv[bi[i]], o[i]);
            }
        }, a, b);
    }

    /** The NumPy broadcast of two shapes, or an error naming both. */
    public static int[] broadcastShape(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] s = new int[r];
        for (int i = 0; i < r; i++) {
            int x = i < r - a.length ? 1 : a[i - (r - a.length)], y = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (x != y && x != 1 && y != 1)
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            s[i] = Math.max(x, y);
        }
        return s;
    }

    /** For every flat index of {@code out}, the flat index of the operand value it reads. */
    private static int[] broadcastIndex(int[] shape, int[] out) {
        int r = out.length, off = r - shape.length;
        int[] stride = new int[r];
        for (int i = r - 1, s = 1; i >= off; i--) {
            stride[i] = shape[i - off] == 1 ? 0 : s;
            s *= shape[i - off];
        }
        return broadcastLikeIndex(out, stride);
    }

    // ---- pointwise math ----------------------------------------------------------------------------------------

    public static Tensor neg(Tensor x) { return mul(x, -1f); }

    public static Tensor exp(Tensor x) { return Activations.pointwise(x, "exp", Math::exp, (v, y) -> y); }

    public static Tensor log(Tensor x) { return Activations.pointwise(x, "log", Math::log, (v, y) -> 1f / v); }

    public static Tensor sqrt(Tensor x) { return Activations.pointwise(x, "sqrt", Math::sqrt, (v, y) -> 0.5f / y); }

    public static Tensor pow(Tensor x, float p) {
        return Activations.pointwise(x, "pow", v -> Math.pow(v, p), (v, y) -> (float) (p * Math.pow(v, p - 1)));
    }

    public static Tensor abs(Tensor x) { return Activations.pointwise(x, "abs", Math::abs, (v, y) -> Math.signum(v)); }

    // ---- reductions ---------------------------------------------------------------------------------------------

    /** Σ of all values (a scalar), accumulated in double. */
    public static Tensor sum(Tensor x) {
        double s = 0;
        for (float v : x.data) s += v;
        Tensor out = Tensor.scalar((float) s);
        return Tensor.record(out, "sum", () -> {
            float g = out.grad[0];
            float[] dx = x.gradBuffer();
            for (int i = 0; i < dx.length; i++) dx[i] += g;
        }, x);
    }

    public static Tensor mean(Tensor x) { return mul(sum(x), 1f / x.size()); }

    /** Σ over {@code axis}, keeping it as size 1 when {@code keepDim}. */
    public static Tensor sum(Tensor x, int axis, boolean keepDim) { return reduce(x, axis, keepDim, false); }

    public static Tensor mean(Tensor x, int axis, boolean keepDim) { return reduce(x, axis, keepDim, true); }

    private static Tensor reduce(Tensor x, int axis, boolean keepDim, boolean mean) {
        int ax = axis(x, axis), outer = prod(x.shape, 0, ax), n = x.shape[ax], inner = prod(x.shape, ax + 1, x.rank());
        Tensor out = Tensor.zeros(reducedShape(x.shape, ax, keepDim));
        float scale = mean ? 1f / n : 1f;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) s += x.data[(o * n + j) * inner + i];
                out.data[o * inner + i] = (float) (s * scale);
            }
        return Tensor.record(out, mean ? "mean" : "sum", () -> {
            float[] dx = x.gradBuffer(), dy = out.grad;
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < n; j++)
                    for (int i = 0; i < inner; i++) dx[(o * n + j) * inner + i] += dy[o * inner + i] * scale;
        }, x);
    }

    /** Maximum over {@code axis}; the gradient goes to the first position holding the maximum. */
    public static Tensor max(Tensor x, int axis, boolean keepDim) {
        int ax = axis(x, axis), outer = prod(x.shape, 0, ax), n = x.shape[ax], inner = prod(x.shape, ax + 1, x.rank());
        Tensor out = Tensor.zeros(reducedShape(x.shape, ax, keepDim));
        int[] arg = new int[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++) {
                int best = (o * n) * inner + i;
                for (int j = 1; j < n; j++) {
                    int at = (o * n + j) * inner + i;
                    if (x.data[at] > x.data[best]) best = at;
                }
                arg[o * inner + i] = best;
                out.data[o * inner + i] = x.data[best];
            }
        return Tensor.record(out, "max", () -> {
            float[] dx = x.gradBuffer(), dy = out.grad;
            for (int i = 0; i < arg.length; i++) dx[arg[i]] += dy[i];
        }, x);
    }

    // ---- softmax ------------------------------------------------------------------------------------------------

    /** softmax over the last axis; dL/dx = y ⊙ (dy − Σ dy·y). */
    public static Tensor softmax(Tensor x) {
        int d = x.dim(-1), rows = x.size() / d;
        Tensor out = Tensor.zeros(x.shape);
        Parallel.forRange(rows, r -> softmaxRow(x.data, out.data, r * d, d, false));
        return Tensor.record(out, "softmax", () -> {
            float[] dx = x.gradBuffer(), dy = out.grad, y = out.data;
            Parallel.forRange(rows, r -> {
                int off = r * d;
                double dot = 0;
                for (int j = 0; j < d; j++) dot += dy[off + j] * y[off + j];
                for (int j = 0; j < d; j++) dx[off + j] += y[off + j] * (float) (dy[off + j] - dot);
            });
        }, x);
    }

    /** log-softmax over the last axis; dL/dx = dy − softmax·Σ dy. */
    public static Tensor logSoftmax(Tensor x) {
        int d = x.dim(-1), rows = x.size() / d;
        Tensor out = Tensor.zeros(x.shape);
        Parallel.forRange(rows, r -> softmaxRow(x.data, out.data, r * d, d, true));
        return Tensor.record(out, "logSoftmax", () -> {
            float[] dx = x.gradBuffer(), dy = out.grad, y = out.data;
            Parallel.forRange(rows, r -> {
                int off = r * d;
                double s = 0;
                for (int j = 0; j < d; j++) s += dy[off + j];
                for (int j = 0; j < d; j++) dx[off + j] += dy[off + j] - (float) (Math.exp(y[off + j]) * s);
            });
        }, x);
    }

    /** Stable (max-shifted) softmax or log-softmax of one row. */
    static void softmaxRow(float[] x, float[] y, int off, int d, boolean log) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < d; j++) m = Math.max(m, x[off + j]);
        double s = 0;
        for (int j = 0; j < d; j++) s += Math.exp(x[off + j] - m);
        if (log) {
            double lse = m + Math.log(s);
            for (int j = 0; j < d; j++) y[off + j] = (float) (x[off + j] - lse);
        } else {
            for (int j = 0; j < d; j++) y[off + j] = (float) (Math.exp(x[off + j] - m) / s);
        }
    }

    // ---- matrix products ---------------------------------------------------------------------------------------

    /**
     * A[..., m, k] @ B[k, n] (B shared by every batch) or A[..., m, k] @ B[..., k, n] (same leading shape).
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() < 2 || b.rank() < 2) throw new IllegalArgumentException("matmul wants rank ≥ 2 operands");
        int m = a.dim(-2), k = a.dim(-1), n = b.dim(-1);
        if (b.dim(-2) != k)
            throw new IllegalArgumentException("matmul " + Arrays.toString(a.shape) + " @ " + Arrays.toString(b.shape) + ": inner sizes differ");
        int[] shape = a.shape.clone();
        shape[shape.length - 1] = n;
        Tensor out = Tensor.zeros(shape);
        if (b.rank() == 2) {
            int rows = a.size() / k;
            byRows(rows, (long) n * k, (r0, r1) -> Kernels.matmulNN(a.data, r0 * k, b.data, 0, out.data, r0 * n, r1 - r0, n, k, false));
            return Tensor.record(out, "matmul", () -> {
                if (a.requiresGrad()) {
                    float[] ga = a.gradBuffer();
                    byRows(rows, (long) n * k, (r0, r1) -> Kernels.matmulNT(out.grad, r0 * n, b.data, 0, ga, r0 * k, r1 - r0, k, n, true));
                }
                if (b.requiresGrad()) transposedProduct(a.data, rows, k, out.grad, n, b.gradBuffer());
            }, a, b);
        }
        if (!Arrays.equals(Arrays.copyOf(a.shape, a.rank() - 2), Arrays.copyOf(b.shape, b.rank() - 2)))
            throw new IllegalArgumentException("batched matmul needs equal leading shapes: " + Arrays.toString(a.shape) + " @ " + Arrays.toString(b.shape));
        int batch = a.size() / (m * k);
        Parallel.forRange(batch, i -> Kernels.matmulNN(a.data, i * m * k, b.data, i * k * n, out.data, i * m * n, m, n, k, false));
        return Tensor.record(out, "bmm", () -> {
            float[] ga = a.requiresGrad() ? a.gradBuffer() : null, gb = b.requiresGrad() ? b.gradBuffer() : null;
            Parallel.forRange(batch, i -> {
                if (ga != null) Kernels.matmulNT(out.grad, i * m * n, b.data, i * k * n, ga, i * m * k, m, k, n, true);
                if (gb != null) Kernels.matmulTN(a.data, i * m * k, out.grad, i * m * n, gb, i * k * n, k, n, m, true);
            });
        }, a, b);
    }

    /** x[..., in] · Wᵀ + b with W in PyTorch's [out, in] layout; b may be null. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        int in = x.dim(-1), outF = w.shape[0];
        if (w.rank() != 2 || w.shape[1] != in)
            throw new IllegalArgumentException("linear: weight " + Arrays.toString(w.shape) + " does not take inputs " + Arrays.toString(x.shape));
        int rows = x.size() / in;
        int[] shape = x.shape.clone();
        shape[shape.length - 1] = outF;
        Tensor out = Tensor.zeros(shape);
        byRows(rows, (long) outF * in, (r0, r1) -> Kernels.matmulNT(x.data, r0 * in, w.data, 0, out.data, r0 * outF, r1 - r0, outF, in, false));
        if (b != null)
            for (int r = 0; r < rows; r++) for (int j = 0; j < outF; j++) out.data[r * outF + j] += b.data[j];
        return Tensor.record(out, "linear", () -> {
            float[] dy = out.grad;
            if (x.requiresGrad()) {
                float[] gx = x.gradBuffer();
                byRows(rows, (long) outF * in, (r0, r1) -> Kernels.matmulNN(dy, r0 * outF, w.data, 0, gx, r0 * in, r1 - r0, in, outF, true));
            }
            if (w.requiresGrad()) transposedProduct(dy, rows, outF, x.data, in, w.gradBuffer());
            if (b != null && b.requiresGrad()) {
                float[] gb = b.gradBuffer();
                for (int r = 0; r < rows; r++) for (int j = 0; j < outF; j++) gb[j] += dy[r * outF + j];
            }
        }, x, w, b);
    }

    /** Row ranges [r0, r1) of an m-row product. */
    @FunctionalInterface
    interface RowRange { void run(int r0, int r1); }

    /** Rows per parallel block; fixed (not thread-dependent) so results never depend on the thread count. */
    private static final int ROW_BLOCK = 32;

    /** Splits an m-row matrix product into row blocks run in parallel when it is big enough to pay. */
    static void byRows(int m, long workPerRow, RowRange body) {
        if (m <= ROW_BLOCK || (long) m * workPerRow < (1 << 21)) {
            body.run(0, m);
            return;
        }
        int blocks = (m + ROW_BLOCK - 1) / ROW_BLOCK;
        Parallel.forRange(blocks, bIdx -> body.run(bIdx * ROW_BLOCK, Math.min(m, (bIdx + 1) * ROW_BLOCK)));
    }

    /**
     * acc[p, q] += Σᵣ a[r, p]·b[r, q] for a [rows, pDim], b [rows, qDim] — the weight-gradient product. aᵀ is
     * materialised once so the result splits over its rows (parallel, no partial sums, same bits for any thread count).
     */
    static void transposedProduct(float[] a, int rows, int pDim, float[] b, int qDim, float[] acc) {
        if ((long) rows * pDim * qDim < (1 << 21)) {
            Kernels.matmulTN(a, 0, b, 0, acc, 0, pDim, qDim, rows, true);
            return;
        }
        float[] at = new float[rows * pDim];
        for (int r = 0; r < rows; r++) for (int p = 0; p < pDim; p++) at[p * rows + r] = a[r * pDim + p];
        byRows(pDim, (long) rows * qDim, (p0, p1) -> Kernels.matmulNN(at, p0 * rows, b, 0, acc, p0 * qDim, p1 - p0, qDim, rows, true));
    }

    // ---- shape ops ----------------------------------------------------------------------------------------------

    /** Axes reordered: output axis i is input axis dims[i]. */
    public static Tensor permute(Tensor x, int... dims) {
        int r = x.rank();
        if (dims.length != r) throw new IllegalArgumentException("permute needs " + r + " axes");
        int[] shape = new int[r], inStride = new int[r], stride = new int[r];
        for (int i = r - 1, s = 1; i >= 0; i--) { inStride[i] = s; s *= x.shape[i]; }
        for (int i = 0; i < r; i++) { shape[i] = x.shape[dims[i]]; stride[i] = inStride[dims[i]]; }
        int[] src = broadcastLikeIndex(shape, stride);
        Tensor out = Tensor.zeros(shape);
        for (int i = 0; i < src.length; i++) out.data[i] = x.data[src[i]];
        return Tensor.record(out, "permute", () -> {
            float[] dx = x.gradBuffer();
            for (int i = 0; i < src.length; i++) dx[src[i]] += out.grad[i];
        }, x);
    }

    /** x[..., start:end, ...] along {@code axis}. */
    public static Tensor slice(Tensor x, int axis, int start, int end) {
        int ax = axis(x, axis), outer = prod(x.shape, 0, ax), n = x.shape[ax], inner = prod(x.shape, ax + 1, x.rank());
        if (start < 0 || end > n || start > end) throw new IllegalArgumentException("slice [" + start + ", " + end + ") out of axis size " + n);
        int[] shape = x.shape.clone();
        shape[ax] = end - start;
        Tensor out = Tensor.zeros(shape);
        int len = (end - start) * inner;
        for (int o = 0; o < outer; o++) System.arraycopy(x.data, (o * n + start) * inner, out.data, o * len, len);
        return Tensor.record(out, "slice", () -> {
            float[] dx = x.gradBuffer();
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < len; i++) dx[(o * n + start) * inner + i] += out.grad[o * len + i];
        }, x);
    }

    /** Tensors joined along {@code axis}; all other axes must agree. */
    public static Tensor concat(int axis, Tensor... parts) {
        Tensor first = parts[0];
        int ax = axis(first, axis), outer = prod(first.shape, 0, ax), inner = prod(first.shape, ax + 1, first.rank());
        int total = 0;
        for (Tensor t : parts) {
            if (t.rank() != first.rank()) throw new IllegalArgumentException("concat of different ranks");
            for (int d = 0; d < t.rank(); d++)
                if (d != ax && t.shape[d] != first.shape[d])
                    throw new IllegalArgumentException("concat: " + Arrays.toString(t.shape) + " vs " + Arrays.toString(first.shape));
            total += t.shape[ax];
        }
        int[] shape = first.shape.clone();
        shape[ax] = total;
        Tensor out = Tensor.zeros(shape);
        int row = total * inner;
        for (int o = 0, at = 0; o < outer; o++)
            for (Tensor t : parts) {
                int len = t.shape[ax] * inner;
                System.arraycopy(t.data, o * len, out.data, at, len);
                at += len;
            }
        return Tensor.record(out, "concat", () -> {
            int start = 0;
            for (Tensor t : parts) {
                int len = t.shape[ax] * inner;
                if (t.requiresGrad()) {
                    float[] g = t.gradBuffer();
                    for (int o = 0; o < outer; o++)
                        for (int i = 0; i < len; i++) g[o * len + i] += out.grad[o * row + start + i];
                }
                start += len;
            }
        }, parts);
    }

    /** Rows of {@code weight} [V, D] picked by ids: shape [ids.length, D]; the gradient scatters back (adds on repeats). */
    public static Tensor embedding(Tensor weight, int[] ids) {
        int v = weight.shape[0], d = weight.dim(-1);
        Tensor out = Tensor.zeros(ids.length, d);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= v) throw new IndexOutOfBoundsException("token id " + ids[i] + " outside vocabulary of " + v);
            System.arraycopy(weight.data, ids[i] * d, out.data, i * d, d);
        }
        return Tensor.record(out, "embedding", () -> {
            float[] g = weight.gradBuffer();
            for (int i = 0; i < ids.length; i++)
                for (int j = 0; j < d; j++) g[ids[i] * d + j] += out.grad[i * d + j];
        }, weight);
    }

    // ---- shape arithmetic ---------------------------------------------------------------------------------------

    static int axis(Tensor x, int axis) {
        int a = axis < 0 ? x.rank() + axis : axis;
        if (a < 0 || a >= x.rank()) throw new IllegalArgumentException("axis " + axis + " out of range for " + Arrays.toString(x.shape));
        return a;
    }

    static int prod(int[] shape, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) p *= shape[i];
        return p;
    }

    private static int[] reducedShape(int[] shape, int ax, boolean keepDim) {
        if (keepDim) {
            int[] s = shape.clone();
            s[ax] = 1;
            return s;
        }
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != ax) s[j++] = shape[i];
        return s;
    }

    /** Flat source index for each element of {@code shape} when walking the source with {@code stride}. */
    private static int[] broadcastLikeIndex(int[] shape, int[] stride) {
        int r = shape.length, n = Math.toIntExact(TensorView.numel(shape));
        int[] idx = new int[n], pos = new int[r];
        int cur = 0;
        for (int i = 0; i < n; i++) {
            idx[i] = cur;
            for (int d = r - 1; d >= 0; d--) {
                cur += stride[d];
                if (++pos[d] < shape[d]) break;
                cur -= stride[d] * shape[d];
                pos[d] = 0;
            }
        }
        return idx;
    }
}
