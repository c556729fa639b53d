package vireo.tpc;

import vireo.io.InvalidFileException;
import vireo.io.SafeTensors;
import vireo.io.TensorFile;
import vireo.nn.Adam;
import vireo.nn.AdamW;
import vireo.nn.MultiStepLR;
import vireo.sparse.SparseTensor;
import vireo.tensor.Tensor;
import vireo.tensor.TensorView;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains BCAE-VS the authors' way (train.py, biloss.py, config.yaml):
 * <pre>
 * code  = regr · sigmoid(α·(logit p − logit u)),  u ~ U(0,1) per voxel, α = 4          (soft gate)
 * loss  = L1(reg·[clf > 0.5], x) + c·Focal₂(clf, x > 0) + 30·max(0, p̄ − 0.1)·p̄        (p̄ = mean p over signal)
 * c     ← (0.5·c + L_reg / L_clf) / 1.5   from 2000, updated with each batch's losses before they are combined;
 *                                          neither coefficient is differentiated
 * AdamW lr 1e-3, weight decay 0.01; MultiStepLR ×0.95 at epochs 20, 40, 60, 80 (2000 batches of 4 per epoch)
 * </pre>
 * Decoders train with BatchNorm batch statistics. Batches are whole wedges or random crops of them.
 */
public final class BcaeVsTrainer {
    public record Config(int batchSize, int[] crop, double lr, double weightDecay, double alpha, double probLambda,
                         double probLowerBound, int batchesPerEpoch, int[] milestones, double lrGamma, long seed) {
        /** The authors' configuration (bi_lambda-30_lb-10), optionally on crops [a, z, l] instead of whole wedges. */
        public static Config authors(int[] crop, long seed) {
            return new Config(4, crop, 1e-3, 0.01, 4, 30, 0.1, 2000, new int[]{20, 40, 60, 80}, 0.95, seed);
        }

        public Config withLr(double newLr) {
            return new Config(batchSize, crop, newLr, weightDecay, alpha, probLambda, probLowerBound, batchesPerEpoch, milestones, lrGamma, seed);
        }

        public Config withBatch(int b, int batchesPerEpoch) {
            return new Config(b, crop, lr, weightDecay, alpha, probLambda, probLowerBound, batchesPerEpoch, milestones, lrGamma, seed);
        }
    }

    public record StepStats(long step, double loss, double regLoss, double clfLoss, double coef, double meanProb,
                            double keepSoft, double keepHard, double lr) {}

    public static final double INITIAL_COEF = 2000;

    private final BcaeVs model;
    private final Config config;
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final AdamW optimizer;
    private final MultiStepLR schedule;
    private long step;
    private double coef = INITIAL_COEF;
    private SplittableRandom rng;

    public BcaeVsTrainer(BcaeVs model, Config config) {
        this.model = model;
        this.config = config;
        model.stateDict().forEach((k, t) -> {
            if (!k.contains("running_")) params.put(k, t.requiresGrad(true));
        });
        // the authors use one AdamW per part with equal settings; per-parameter state makes one optimiser identical
        this.optimizer = new AdamW(new ArrayList<>(params.values()), config.lr(), 0.9, 0.999, 1e-8, config.weightDecay());
        this.schedule = new MultiStepLR(optimizer, config.milestones(), config.lrGamma());
        this.rng = new SplittableRandom(config.seed());
    }

    public BcaeVs model() { return model; }

    public long step() { return step; }

    public double coef() { return coef; }

    /** Advances the MultiStepLR schedule to the epoch of the current step (it steps once per epoch). */
    private void syncSchedule() {
        while (schedule.epoch() < step / config.batchesPerEpoch()) schedule.step();
    }

    /** One optimisation step on a batch drawn (and cropped) at random from {@code data}. */
    public StepStats step(List<Wedge> data) {
        int[] c = config.crop() == null ? new int[]{Wedge.AZIMUTH, Wedge.Z, Wedge.LAYERS} : config.crop();
        List<float[]> batch = new ArrayList<>();
        for (int i = 0; i < config.batchSize(); i++) batch.add(crop(data.get(rng.nextInt(data.size())), c));
        return step(batch, c[0], c[1], c[2]);
    }

    private float[] crop(Wedge w, int[] c) {
        if (c[0] == Wedge.AZIMUTH && c[1] == Wedge.Z && c[2] == Wedge.LAYERS) return w.log();
        int a0 = rng.nextInt(Wedge.AZIMUTH - c[0] + 1), z0 = rng.nextInt(Wedge.Z - c[1] + 1), l0 = rng.nextInt(Wedge.LAYERS - c[2] + 1);
        float[] v = new float[c[0] * c[1] * c[2]];
        for (int a = 0; a < c[0]; a++)
            for (int z = 0; z < c[1]; z++)
                System.arraycopy(w.log(), Wedge.index(a0 + a, z0 + z, l0), v, (a * c[1] + z) * c[2], c[2]);
        return v;
    }

    /** One optimisation step on explicit volumes of shape [d, h, w] (log2 ADC, zeros = no signal). */
    public StepStats step(List<float[]> volumes, int d, int h, int w) {
        syncSchedule();
        int B = volumes.size(), vol = d * h * w;
        SparseTensor x = SparseTensor.fromDense(volumes.toArray(float[][]::new), d, h, w);
        float[] target = new float[B * vol];
        for (int b = 0; b < B; b++) System.arraycopy(volumes.get(b), 0, target, b * vol, vol);
        int[] pos = new int[x.n];
        double[] u = new double[x.n];
        for (int r = 0; r < x.n; r++) {
            pos[r] = x.coords[4 * r] * vol + x.linearIndex(r, h, w);
            u[r] = rng.nextDouble();
        }

        SparseTensor enc = model.encode(x);
        Tensor code = BcaeVsLoss.softGatedVolume(enc.features, pos, u, config.alpha(), B, 1, d, h, w);
        Tensor reg = TrainOps.decoder(model.reg, code, true);
        Tensor clf = vireo.tensor.Activations.sigmoid(TrainOps.decoder(model.clf, code, true));
        Tensor lReg = BcaeVsLoss.maskedL1(reg, clf, target);
        Tensor lClf = BcaeVsLoss.focal(clf, target);
        Tensor pBar = BcaeVsLoss.meanProb(enc.features);
        // as the authors' BiLoss: c is updated from this batch's losses first, then used in this batch's loss
        coef = Double.isNaN(lClf.item()) ? INITIAL_COEF : (0.5 * coef + lReg.item() / lClf.item()) / 1.5;
        double probCoef = config.probLambda() * Math.max(0, pBar.item() - config.probLowerBound());
        Tensor loss = BcaeVsLoss.weighted(new double[]{1, coef, probCoef}, lReg, lClf, pBar);

        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        step++;

        double kept = 0, soft = 0;
        for (int r = 0; r < x.n; r++) {
            double p = enc.features.data[2 * r], lg = FeatureOps.logit(p, Gate.EPS) - FeatureOps.logit(u[r], Gate.EPS);
            if (lg > 0) kept++;
            soft += 1 / (1 + Math.exp(-config.alpha() * lg));
        }
        StepStats s = new StepStats(step, loss.item(), lReg.item(), lClf.item(), coef, pBar.item(),
                soft / Math.max(1, x.n), kept / Math.max(1, x.n), optimizer.lr());
        return s;
    }

    /** L_reg + clfCoef·L_clf of the current model on fixed volumes, updating nothing (soft gate with a fixed seed). */
    public double evaluateLoss(List<float[]> volumes, int d, int h, int w, long seed, double clfCoef) {
        return Tensor.noGrad(() -> {
            int B = volumes.size(), vol = d * h * w;
            SparseTensor x = SparseTensor.fromDense(volumes.toArray(float[][]::new), d, h, w);
            float[] target = new float[B * vol];
            for (int b = 0; b < B; b++) System.arraycopy(volumes.get(b), 0, target, b * vol, vol);
            SplittableRandom r = new SplittableRandom(seed);
            int[] pos = new int[x.n];
            double[] u = new double[x.n];
            for (int i = 0; i < x.n; i++) { pos[i] = x.coords[4 * i] * vol + x.linearIndex(i, h, w); u[i] = r.nextDouble(); }
            SparseTensor enc = model.encode(x);
            Tensor code = BcaeVsLoss.softGatedVolume(enc.features, pos, u, config.alpha(), B, 1, d, h, w);
            // batch statistics as in training, but without touching the running statistics
            Map<String, float[]> saved = new LinkedHashMap<>();
            model.stateDict().forEach((k, t) -> { if (k.contains("running_")) saved.put(k, t.data.clone()); });
            Tensor reg = TrainOps.decoder(model.reg, code, true);
            Tensor clf = vireo.tensor.Activations.sigmoid(TrainOps.decoder(model.clf, code, true));
            model.stateDict().forEach((k, t) -> { if (saved.containsKey(k)) System.arraycopy(saved.get(k), 0, t.data, 0, t.data.length); });
            return (double) BcaeVsLoss.maskedL1(reg, clf, target).item() + clfCoef * BcaeVsLoss.focal(clf, target).item();
        });
    }

    // ---------------------------------------------------------------- checkpoints

    /**
     * Writes a safetensors checkpoint: the model under the authors' names (loadable by {@link BcaeVs#load}),
     * AdamW moments as optimizer.m.NAME / optimizer.v.NAME, and step, c, seed as metadata. Atomic.
     */
    public void save(Path file) {
        Map<String, TensorView> t = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> t.put(k, view(v.data, v.shape)));
        params.forEach((k, p) -> {
            Adam.State st = optimizer.state(p);
            t.put("optimizer.m." + k, view(st == null ? new float[p.size()] : st.m(), p.shape));
            t.put("optimizer.v." + k, view(st == null ? new float[p.size()] : st.v(), p.shape));
        });
        Map<String, String> md = new LinkedHashMap<>();
        md.put("format", "vireo-bcae-vs-train");
        md.put("step", Long.toString(step));
        md.put("coef", Double.toString(coef));
        md.put("seed", Long.toString(config.seed()));
        SafeTensors.write(file, t, md);
    }

    private static TensorView view(float[] data, int[] shape) { return TensorView.ofFloats(data, shape); }

    /** Continues from a checkpoint written by {@link #save}: model, optimizer moments, step, c and LR schedule. */
    public static BcaeVsTrainer resume(Path file, Config config) {
        try (TensorFile f = CheckpointFiles.open(file)) {
            Map<String, TensorView> t = f.tensors();
            Map<String, String> md = f.metadata();
            if (!"vireo-bcae-vs-train".equals(md.get("format")))
                throw new InvalidFileException(file, "not a Vireo BCAE-VS training checkpoint (no optimizer state)");
            BcaeVsTrainer tr = new BcaeVsTrainer(BcaeVs.fromTensors(file, t), config);
            tr.step = Long.parseLong(md.get("step"));
            tr.coef = Double.parseDouble(md.get("coef"));
            for (var e : tr.params.entrySet()) {
                TensorView m = t.get("optimizer.m." + e.getKey()), v = t.get("optimizer.v." + e.getKey());
                if (m == null || v == null) throw new InvalidFileException(file, "missing optimizer state for " + e.getKey());
                if (tr.step > 0) tr.optimizer.setState(e.getValue(), new Adam.State((int) tr.step, m.toFloatArray(), v.toFloatArray()));
            }
            tr.syncSchedule();
            tr.rng = new SplittableRandom(config.seed() ^ (0x9E3779B97F4A7C15L * tr.step)); // fresh stream per resume point
            return tr;
        } catch (NumberFormatException e) {
            throw new InvalidFileException(file, "bad step or coef in checkpoint metadata");
        }
    }
}
