package vireo.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A dense float32 tensor (row-major, contiguous) with reverse-mode autograd, micrograd-style: an op that builds a
 * tensor records its parents and a backward closure right where the forward is computed (see the op classes in
 * this package). Inference paths never set {@code requiresGrad}, so they record nothing.
 */
public final class Tensor {
    public final float[] data;
    public final int[] shape;
    /** Gradient of the loss with respect to this tensor, allocated on first accumulation. */
    public float[] grad;
    private boolean requiresGrad;
    private Tensor[] parents = NO_PARENTS;
    private Runnable backwardFn;
    private String op = "leaf";

    private static final Tensor[] NO_PARENTS = new Tensor[0];
    private static final ThreadLocal<Integer> NO_GRAD_DEPTH = ThreadLocal.withInitial(() -> 0);

    private Tensor(float[] data, int[] shape) {
        if (TensorView.numel(shape) != data.length)
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
        this.data = data;
        this.shape = shape.clone();
    }

    public static Tensor of(float[] data, int... shape) { return new Tensor(data, shape); }

    public static Tensor zeros(int... shape) { return new Tensor(new float[Math.toIntExact(TensorView.numel(shape))], shape); }

    public static Tensor scalar(float v) { return new Tensor(new float[]{v}, new int[0]); }

    public static Tensor full(float v, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, v);
        return t;
    }

    /** Normal(0, std) values from a seeded generator. */
    public static Tensor randn(java.util.random.RandomGenerator rng, float std, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) t.data[i] = (float) (rng.nextGaussian() * std);
        return t;
    }

    /** Marks this tensor as a trainable leaf. */
    public Tensor requiresGrad(boolean on) {
        this.requiresGrad = on;
        return this;
    }

    public boolean requiresGrad() { return requiresGrad; }

    public int size() { return data.length; }

    public int rank() { return shape.length; }

    public int dim(int axis) { return shape[axis < 0 ? shape.length + axis : axis]; }

    public float item() {
        if (data.length != 1) throw new IllegalStateException("item() of a tensor with " + data.length + " values");
        return data[0];
    }

    public String op() { return op; }

    /** Runs {@code body} without recording any graph (inference). */
    public static <T> T noGrad(java.util.function.Supplier<T> body) {
        NO_GRAD_DEPTH.set(NO_GRAD_DEPTH.get() + 1);
        try {
            return body.get();
        } finally {
            NO_GRAD_DEPTH.set(NO_GRAD_DEPTH.get() - 1);
        }
    }

    /**
     * Wires a freshly computed {@code out} into the graph. Called by every op right after its forward:
     * {@code backward} reads {@code out.grad} and accumulates into its parents' grads with {@link #accumulate}.
     */
    public static Tensor record(Tensor out, String op, Runnable backward, Tensor... parents) {
        out.op = op;
        if (NO_GRAD_DEPTH.get() > 0) return out;
        for (Tensor p : parents) {
            if (p != null && p.requiresGrad) {
                out.requiresGrad = true;
                out.parents = parents;
                out.backwardFn = backward;
                return out;
            }
        }
        return out;
    }

    /** The gradient array of this tensor, allocating it on first use. */
    public float[] gradBuffer() {
        if (grad == null) grad = new float[data.length];
        return grad;
    }

    /** Adds {@code g} into this tensor's gradient if it takes part in autograd. */
    public void accumulate(float[] g) {
        if (!requiresGrad) return;
        float[] dst = gradBuffer();
        for (int i = 0; i < dst.length; i++) dst[i] += g[i];
    }

    public void zeroGrad() {
        if (grad != null) Arrays.fill(grad, 0f);
    }

    /** Back-propagates from this scalar (seed 1) through the recorded graph. */
    public void backward() {
        if (data.length != 1) throw new IllegalStateException("backward() needs a scalar, got " + Arrays.toString(shape));
        List<Tensor> order = topologicalOrder();
        gradBuffer()[0] += 1f;
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            if (t.backwardFn != null && t.grad != null) t.backwardFn.run();
        }
    }

    private List<Tensor> topologicalOrder() {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[]{this, 0});
        seen.add(this);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Tensor t = (Tensor) top[0];
            int next = (Integer) top[1];
            if (next < t.parents.length) {
                top[1] = next + 1;
                Tensor p = t.parents[next];
                if (p != null && p.requiresGrad && seen.add(p)) stack.push(new Object[]{p, 0});
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }

    /** A tensor sharing no graph with this one (same values, copied). */
    public Tensor detach() { return new Tensor(data.clone(), shape); }

    /** Same values seen with another shape; gradients flow through. */
    public Tensor reshape(int... newShape) {
        Tensor out = new Tensor(data.clone(), newShape);
        return record(out, "reshape", () -> accumulate(out.grad), this);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + (data.length <= 8 ? Arrays.toString(data) : "");
    }
}
