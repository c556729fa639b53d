package vireo.tpc;

import vireo.nn.AdamW;
import vireo.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains {@link BcaePlusPlus} the way the BCAE++ authors did, on crops: L1 of reg·[clf > 0.5] against log2(ADC+1),
 * plus c·focal(clf, x > 0) with the self-adjusting weight c ← (0.5·c + L_reg/L_clf)/1.5 (initial 2000, not
 * differentiated), AdamW lr 1e-3, weight decay 0.01. Crops are (16 layers, A azimuth, Z time) with A and Z multiples
 * of 16 (four stride-2 halvings), cut from the permuted, padded input at seeded random positions.
 */
public final class BcaePlusPlusTrainer {
    public static final double INITIAL_COEF = 2000;
    private final BcaePlusPlus model;
    private final AdamW opt;
    private final SplittableRandom rng;
    private final int cropA, cropZ;
    private double coef = INITIAL_COEF;
    private long step;

    public record StepStats(long step, double loss, double regLoss, double clfLoss, double coef) {}

    public BcaePlusPlusTrainer(BcaePlusPlus model, int cropA, int cropZ, double lr, long seed) {
        if (cropA % 16 != 0 || cropZ % 16 != 0 || cropA < 16 || cropZ < 16 || cropA > Wedge.AZIMUTH || cropZ > BcaePlusPlus.Z_PADDED)
            throw new IllegalArgumentException("crop must be multiples of 16 within 192 x 256, got " + cropA + " x " + cropZ);
        this.model = model;
        List<Tensor> params = new ArrayList<>(model.namedParameters().values());
        for (Tensor p : params) p.requiresGrad(true);
        this.opt = new AdamW(params, lr, 0.9, 0.999, 1e-8, 0.01);
        this.rng = new SplittableRandom(seed);
        this.cropA = cropA;
        this.cropZ = cropZ;
    }

    /** A (16, cropA, cropZ) crop of the permuted, z-padded wedge input, as [1, 1, 16, cropA, cropZ]. */
    public static Tensor crop(Tensor input, int a0, int z0, int cropA, int cropZ) {
        Tensor t = Tensor.zeros(1, 1, Wedge.LAYERS, cropA, cropZ);
        for (int l = 0; l < Wedge.LAYERS; l++)
            for (int a = 0; a < cropA; a++)
                System.arraycopy(input.data, (l * Wedge.AZIMUTH + a0 + a) * BcaePlusPlus.Z_PADDED + z0,
                        t.data, (l * cropA + a) * cropZ, cropZ);
        return t;
    }

    /** One optimisation step on one random crop of each wedge input ([1,1,16,192,256], see {@link BcaePlusPlus#input}). */
    public StepStats step(List<Tensor> inputs) {
        List<Tensor> crops = new ArrayList<>();
        for (Tensor in : inputs)
            crops.add(crop(in, rng.nextInt(Wedge.AZIMUTH - cropA + 1), rng.nextInt(BcaePlusPlus.Z_PADDED - cropZ + 1), cropA, cropZ));
        return stepOn(crops);
    }

    /** One optimisation step on given crops [1, 1, 16, A, Z]. */
    public StepStats stepOn(List<Tensor> crops) {
        opt.zeroGrad();
        double reg = 0, clf = 0, total = 0;
        int nb = crops.size();
        for (Tensor x : crops) {
            Tensor[] heads = model.decodeHeads(model.encode(x));
            Tensor lr = BcaeVsLoss.maskedL1(heads[0], heads[1], x.data);
            Tensor lc = BcaeVsLoss.focal(heads[1], x.data);
            Tensor loss = BcaeVsLoss.weighted(new double[]{1.0 / nb, coef / nb}, lr, lc);
            loss.backward();
            reg += lr.item() / nb;
            clf += lc.item() / nb;
            total += loss.item();
        }
        opt.step();
        if (Double.isNaN(clf) || clf == 0) coef = INITIAL_COEF;
        else coef = (0.5 * coef + reg / clf) / 1.5;
        return new StepStats(++step, total, reg, clf, coef);
    }

    public BcaePlusPlus model() { return model; }
}
