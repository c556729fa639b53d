package vireo.nn;

import java.util.Arrays;

/**
 * torch.optim.lr_scheduler.MultiStepLR: call {@link #step()} once per epoch; after epoch e the learning rate is
 * base·γ^(number of milestones ≤ e).
 */
public final class MultiStepLR {
    private final Optimizer optimizer;
    private final int[] milestones;
    private final double gamma, baseLr;
    private int epoch;

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        this.optimizer = optimizer;
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
        this.baseLr = optimizer.lr();
    }

    public void step() {
        epoch++;
        int passed = 0;
        for (int m : milestones) if (m <= epoch) passed++;
        optimizer.setLr(baseLr * Math.pow(gamma, passed));
    }

    /** Scheduler steps taken so far (PyTorch's last_epoch). */
    public int epoch() { return epoch; }
}
