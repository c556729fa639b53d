package vireo.tpc;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vireo.SharedData;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The authors' checkpoint on the public sample wedge (skips without ../shared). Oracles: the deterministic p > 0.5
 * numbers come from an independent dense PyTorch re-implementation (tools/fixtures/bcae_vs_reference.py golden);
 * the mean keep probability 0.1318 and the random-gate figures (keep ≈ 0.132, MAE ≈ 0.028, recall ≈ 0.98) from the
 * reference notes (bcae-vs.md §4, §7 item 10). The random gate is a Bernoulli draw, so its tolerances cover a few
 * binomial standard deviations (sd of keep ≈ 0.0012 on 79,905 signal voxels).
 */
class BcaeVsGoldenTest {
    static BcaeVs model;
    static Wedge wedge;

    @BeforeAll
    static void load() {
        Path ckpt = SharedData.require("models/bcae-vs/model_last.pth");
        Path data = SharedData.require("data/tpc/auau_sample.npy");
        model = BcaeVs.load(ckpt);
        wedge = WedgeFiles.read(data).getFirst();
    }

    @Test
    void meanKeepProbabilityMatchesFaithfulPort() {
        BcaeVs.Encoded e = model.encodeWedge(wedge);
        assertEquals(79_905, e.prob().length);
        double s = 0;
        for (float p : e.prob()) s += p;
        assertEquals(0.131813, s / e.prob().length, 2e-5); // torch reference 0.13181343; axis-swapped order gives 0.2064
        for (float r : e.regr()) assertTrue(r >= 0.5f && r < 1f, "regr in [0.5, 1)");
    }

    @Test
    void thresholdGateMatchesTorchReferenceThroughTheFileFormat() {
        BcaeVsCodec codec = new BcaeVsCodec(model, new Gate.Threshold(0.5));
        byte[] bytes = codec.encode(wedge);
        BcaeVsFile f = BcaeVsFile.parse(Path.of("mem"), bytes);
        KeptVoxels k = f.wedges().getFirst();
        assertEquals(10_147, k.size()); // torch: 10147 of 79905 kept (0.12699)
        BcaeVsFile.Accounting acc = f.accounting();
        System.out.printf("threshold 0.5: %d points, positions %.2f bits/pt, values %.2f bits/pt, file %d bytes%n",
                acc.points(), acc.positionBitsPerPoint(), acc.valueBitsPerPoint(), acc.fileBytes());
        assertTrue(acc.positionBitsPerPoint() < 20, "entropy-coded positions beat the authors' 20 bits");

        ReconstructionMetrics m = ReconstructionMetrics.compare(wedge, codec.decode(bytes));
        System.out.println("threshold 0.5: " + m);
        assertEquals(0.0412040, m.mae(), 2e-5);
        assertEquals(0.185465, m.mse(), 2e-4);
        assertEquals(27.3174, m.psnr(), 5e-3);
        assertEquals(23.6587, m.psnrAuthors(), 5e-3);
        assertEquals(0.998144, m.precision(), 2e-4);
        assertEquals(0.962205, m.recall(), 2e-4);
    }

    @Test
    void randomGateMatchesReportedBehaviour() {
        KeptVoxels k = model.compress(wedge, new Gate.Random(0));
        double keep = k.size() / (double) wedge.nonzero();
        double crAuthors = 16.0 / (36.0 * wedge.occupancy() * keep);
        ReconstructionMetrics m = ReconstructionMetrics.compare(wedge, model.decompress(k));
        System.out.printf("random seed 0: keep %.4f CR(authors) %.2f %s%n", keep, crAuthors, m);
        assertEquals(0.132, keep, 0.004);
        assertEquals(0.028, m.mae(), 0.003);
        assertEquals(0.98, m.recall(), 0.01);
        assertTrue(m.precision() > 0.99);
        assertTrue(m.mae() < 0.0412 - 0.006, "random gate reconstructs better than p > 0.5 (0.041)");
        assertEquals(32.4, crAuthors, 1.2);
    }

    @Test
    void lastAxisFastestOffsetOrderWouldGiveTheReportedWrongValue() {
        // re-index every 3x3x3 kernel as if k = i2 + 3*i1 + 9*i0; the notes report mean keep probability 0.2064
        BcaeVs swapped = new BcaeVs(model.encoder.clone(), model.reg, model.clf);
        for (int i = 0; i < 4; i++) {
            vireo.tensor.Tensor w = model.encoder[i];
            int per = w.dim(1) * w.dim(2);
            float[] out = new float[w.size()];
            for (int i0 = 0; i0 < 3; i0++) for (int i1 = 0; i1 < 3; i1++) for (int i2 = 0; i2 < 3; i2++)
                System.arraycopy(w.data, (i2 + 3 * i1 + 9 * i0) * per, out, (i0 + 3 * i1 + 9 * i2) * per, per);
            swapped.encoder[i] = vireo.tensor.Tensor.of(out, w.shape);
        }
        double s = 0;
        float[] p = swapped.encodeWedge(wedge).prob();
        for (float v : p) s += v;
        assertEquals(0.2064, s / p.length, 5e-4);
    }
}
