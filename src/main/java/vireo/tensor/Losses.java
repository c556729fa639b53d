package vireo.tensor;

import java.util.Arrays;

/** Scalar training losses, each a mean like PyTorch's default reduction. */
public final class Losses {
    private Losses() {}

    /**
     * Cross-entropy of logits [..., V] against integer targets (one per row), averaged over rows:
     * mean(logsumexp(z) − z[target]). dL/dz = (softmax(z) − onehot) / rows.
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets) {
        int v = logits.dim(-1), rows = logits.size() / v;
        if (targets.length != rows) throw new IllegalArgumentException(targets.length + " targets for " + rows + " rows of logits");
        float[] logp = new float[logits.size()];
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            if (targets[r] < 0 || targets[r] >= v) throw new IndexOutOfBoundsException("target " + targets[r] + " outside " + v + " classes");
            Ops.softmaxRow(logits.data, logp, r * v, v, true);
            loss -= logp[r * v + targets[r]];
        }
        Tensor out = Tensor.scalar((float) (loss / rows));
        return Tensor.record(out, "crossEntropy", () -> {
            float g = out.grad[0] / rows;
            float[] dz = logits.gradBuffer();
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < v; j++) dz[r * v + j] += g * (float) Math.exp(logp[r * v + j]);
                dz[r * v + targets[r]] -= g;
            }
        }, logits);
    }

    /**
     * Cross-entropy averaged over the rows whose target is ≥ 0 (a negative target, like PyTorch's ignore_index −100,
     * masks padding and prompt positions). Logits rows are independent, so rows run in parallel.
     */
    public static Tensor maskedCrossEntropy(Tensor logits, int[] targets) {
        int v = logits.dim(-1), rows = logits.size() / v;
        if (targets.length != rows) throw new IllegalArgumentException(targets.length + " targets for " + rows + " rows of logits");
        int counted = 0;
        for (int t : targets) {
            if (t >= v) throw new IndexOutOfBoundsException("target " + t + " outside " + v + " classes");
            if (t >= 0) counted++;
        }
        float[] lossRow = new float[rows], z = logits.data;
        Parallel.forRange(rows, r -> {
            if (targets[r] < 0) return;
            int o = r * v;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) max = Math.max(max, z[o + j]);
            double s = 0;
            for (int j = 0; j < v; j++) s += Math.exp(z[o + j] - max);
            lossRow[r] = (float) (max + Math.log(s) - z[o + targets[r]]);
        });
        double loss = 0;
        for (float l : lossRow) loss += l;
        int n = Math.max(counted, 1);
        Tensor out = Tensor.scalar((float) (loss / n));
        return Tensor.record(out, "maskedCrossEntropy", () -> {
            float g = out.grad[0] / n;
            float[] dz = logits.gradBuffer();
            Parallel.forRange(rows, r -> {
                if (targets[r] < 0) return;
                int o = r * v;
                float lse = lossRow[r] + z[o + targets[r]];
                for (int j = 0; j < v; j++) dz[o + j] += g * (float) Math.exp(z[o + j] - lse);
                dz[o + targets[r]] -= g;
            });
        }, logits);
    }

    /**
     * KL(p ‖ q) from log-probabilities [..., V] (tuned-lens style): mean over rows of Σ p·(log p − log q). Both
     * inputs may take gradients: ∂/∂log p = p·(log p − log q + 1), ∂/∂log q = −p (each over rows).
     */
    public static Tensor klDivergence(Tensor logP, Tensor logQ) {
        if (!Arrays.equals(logP.shape, logQ.shape))
            throw new IllegalArgumentException("klDivergence shapes differ: " + Arrays.toString(logP.shape) + " vs " + Arrays.toString(logQ.shape));
        int v = logP.dim(-1), rows = logP.size() / v;
        double s = 0;
        for (int i = 0; i < logP.size(); i++) {
            double lp = logP.data[i];
            if (lp > Double.NEGATIVE_INFINITY) s += Math.exp(lp) * (lp - logQ.data[i]);
        }
        Tensor out = Tensor.scalar((float) (s / rows));
        return Tensor.record(out, "klDivergence", () -> {
            float g = out.grad[0] / rows;
            float[] gp = logP.requiresGrad() ? logP.gradBuffer() : null, gq = logQ.requiresGrad() ? logQ.gradBuffer() : null;
            for (int i = 0; i < logP.size(); i++) {
                float lp = logP.data[i], p = (float) Math.exp(lp);
                if (p == 0f) continue;
                if (gp != null) gp[i] += g * p * (lp - logQ.data[i] + 1);
                if (gq != null) gq[i] -= g * p;
            }
        }, logP, logQ);
    }

    /**
     * Binary cross-entropy on logits (nn.BCEWithLogitsLoss, mean): max(z, 0) − z·y + log(1 + e^−|z|), stable for
     * any z; dL/dz = (σ(z) − y)/n. Targets y in [0, 1] take no gradient.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets) {
        sameShape("binaryCrossEntropyWithLogits", logits, targets);
        int n = logits.size();
        double s = 0;
        for (int i = 0; i < n; i++) {
            double z = logits.data[i];
            s += Math.max(z, 0) - z * targets.data[i] + Math.log1p(Math.exp(-Math.abs(z)));
        }
        Tensor out = Tensor.scalar((float) (s / n));
        return Tensor.record(out, "binaryCrossEntropyWithLogits", () -> {
            float g = out.grad[0] / n;
            float[] dz = logits.gradBuffer();
            for (int i = 0; i < n; i++) dz[i] += g * (float) (Activations.sigmoid(logits.data[i]) - targets.data[i]);
        }, logits);
    }

    /** mean |a − b| (nn.L1Loss); the gradient at a tie is 0, like torch.sign. */
    public static Tensor l1(Tensor a, Tensor b) {
        sameShape("l1", a, b);
        int n = a.size();
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.abs(a.data[i] - b.data[i]);
        Tensor out = Tensor.scalar((float) (s / n));
        return Tensor.record(out, "l1", () -> {
            float g = out.grad[0] / n;
            float[] ga = a.requiresGrad() ? a.gradBuffer() : null, gb = b.requiresGrad() ? b.gradBuffer() : null;
            for (int i = 0; i < n; i++) {
                float d = g * Math.signum(a.data[i] - b.data[i]);
                if (ga != null) ga[i] += d;
                if (gb != null) gb[i] -= d;
            }
        }, a, b);
    }

    /** mean (a − b)² (nn.MSELoss). */
    public static Tensor mse(Tensor a, Tensor b) {
        sameShape("mse", a, b);
        int n = a.size();
        double s = 0;
        for (int i = 0; i < n; i++) { double d = a.data[i] - b.data[i]; s += d * d; }
        Tensor out = Tensor.scalar((float) (s / n));
        return Tensor.record(out, "mse", () -> {
            float g = 2 * out.grad[0] / n;
            float[] ga = a.requiresGrad() ? a.gradBuffer() : null, gb = b.requiresGrad() ? b.gradBuffer() : null;
            for (int i = 0; i < n; i++) {
                float d = g * (a.data[i] - b.data[i]);
                if (ga != null) ga[i] += d;
                if (gb != null) gb[i] -= d;
            }
        }, a, b);
    }

    private static void sameShape(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape, b.shape))
            throw new IllegalArgumentException(op + " shapes differ: " + Arrays.toString(a.shape) + " vs " + Arrays.toString(b.shape));
    }
}
