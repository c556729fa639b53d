package vireo.tpc;

import vireo.tensor.Parallel;
import vireo.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Throughput of BCAE-VS against occupancy on simulated wedges, with the dense BCAE++ encoder timed on the same
 * wedges in the same run as the baseline ("dense models do not adapt to sparsity"). Wedges are spread over the
 * thread budget with {@link Parallel#forRange}, one wedge per task. Times are wall clock after one warm-up pass.
 */
public final class ThroughputBench {
    /**
     * @param occupancies  occupancy fractions to simulate
     * @param wedges       simulated wedges per occupancy (each timed pass runs all of them)
     * @param passes       timed passes per measurement (the best pass is reported: least disturbed by other load)
     * @param dense        also time the dense BCAE++ encoder
     * @param decoder      also time the BCAE-VS decoders (slow: ≈68 GFLOP per wedge)
     */
    public record Config(double[] occupancies, int wedges, int passes, boolean dense, boolean decoder, long seed) {
        public static Config standard() { return new Config(new double[]{0.001, 0.01, 0.05, 0.10, 0.15}, 8, 3, true, true, 1); }
    }

    /** One occupancy: wedges per second of the encoder alone, of the full compress path, and of the dense encoder. */
    public record Row(double occupancy, double encoderWedgesPerSec, double compressWedgesPerSec, double bytesPerWedge,
                      double compressionRatio, double denseEncoderWedgesPerSec, double speedupOverDense) {}

    public record DecoderTiming(double wedgesPerSec, double gflopPerWedge, double gflopPerSec) {}

    public record Result(int threads, int wedgesPerOccupancy, String model, List<Row> rows, DecoderTiming decoder) {}

    /** Multiply-adds of both BCAE-VS decoder heads per wedge: 2 heads × 764,928 voxels × Σ 27·cin·cout + 2. */
    public static double decoderGflopPerWedge() {
        int[] ch = BcaeVs.DECODER_CHANNELS;
        long macs = 0;
        for (int i = 0; i + 1 < ch.length; i++) macs += 27L * ch[i] * ch[i + 1];
        macs += 2;                                  // the final 1×1×1 conv 2→1
        return 2.0 * 2 * macs * Wedge.VOXELS / 1e9; // 2 FLOPs per multiply-add, 2 heads
    }

    public static Result run(BcaeVs model, String modelName, Config cfg, Runnable tick) {
        BcaePlusPlus dense = cfg.dense() ? new BcaePlusPlus(cfg.seed()) : null;
        Simulator sim = new Simulator();
        List<Row> rows = new ArrayList<>();
        KeptVoxels someCode = null;
        // warm the JIT on every path once before any timing, so the first occupancy is not measured cold
        List<Wedge> warm = List.of(sim.simulate(0.05, cfg.seed()).wedge(), sim.simulate(0.001, cfg.seed()).wedge());
        BcaeVsCodec warmCodec = new BcaeVsCodec(model, new Gate.Random(cfg.seed()));
        for (int rep = 0; rep < 3; rep++)
            Parallel.forRange(warm.size(), i -> { model.encodeWedge(warm.get(i)); warmCodec.encode(warm.get(i)); });
        if (dense != null) Tensor.noGrad(() -> dense.encode(BcaePlusPlus.input(warm.getFirst())));
        for (double occ : cfg.occupancies()) {
            List<Wedge> wedges = new ArrayList<>();
            for (int i = 0; i < cfg.wedges(); i++) wedges.add(sim.simulate(occ, cfg.seed() * 1000 + i).wedge());
            int n = wedges.size();
            double enc = perSecond(n, cfg.passes(), i -> model.encodeWedge(wedges.get(i)));
            BcaeVsCodec codec = new BcaeVsCodec(model, new Gate.Random(cfg.seed()));
            long[] bytes = new long[n];
            double comp = perSecond(n, cfg.passes(), i -> bytes[i] = codec.encode(wedges.get(i)).length);
            double mean = 0;
            for (long b : bytes) mean += b / (double) n;
            double denseWps = Double.NaN;
            if (dense != null) {
                denseWps = perSecond(n, 1, i -> Tensor.noGrad(() -> dense.encode(BcaePlusPlus.input(wedges.get(i)))));
            }
            rows.add(new Row(occ, enc, comp, mean, Wedge.VOXELS * 2.0 / mean, denseWps, enc / denseWps));
            if (someCode == null || occ == 0.1) someCode = model.compress(wedges.getFirst(), new Gate.Random(cfg.seed()));
            if (tick != null) tick.run();
        }
        DecoderTiming dec = null;
        if (cfg.decoder() && someCode != null) {
            KeptVoxels code = someCode;
            model.decompress(code);                             // warm-up
            long t0 = System.nanoTime();
            model.decompress(code);
            double s = (System.nanoTime() - t0) / 1e9;
            double g = decoderGflopPerWedge();
            dec = new DecoderTiming(1 / s, g, g / s);
            if (tick != null) tick.run();
        }
        return new Result(Parallel.threads(), cfg.wedges(), modelName, rows, dec);
    }

    /** Wedges per second over {@code n} wedges run across the thread budget: one warm-up pass, best of the timed ones. */
    static double perSecond(int n, int passes, IntConsumer body) {
        Parallel.forRange(n, body);
        double best = Double.MAX_VALUE;
        for (int p = 0; p < passes; p++) {
            long t0 = System.nanoTime();
            Parallel.forRange(n, body);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return n / best;
    }
}
