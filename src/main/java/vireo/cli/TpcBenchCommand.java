package vireo.cli;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vireo.tpc.BcaeVs;
import vireo.tpc.ThroughputBench;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo tpc bench}: BCAE-VS encoder throughput against occupancy, with the dense BCAE++ encoder as baseline. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the BCAE-VS encoder, the full compress path and the decoders on simulated wedges at several "
                + "occupancies, against the dense BCAE++ encoder on the same wedges in the same run.")
public final class TpcBenchCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", paramLabel = "FILE", description = "BCAE-VS checkpoint (default ../shared/models/bcae-vs/model_last.pth; without one, seeded random weights: same cost)") Path checkpoint;
    @Option(names = "--occupancy", split = ",", paramLabel = "F", description = "occupancy fractions (default 0.001,0.01,0.05,0.1,0.15)") double[] occupancies;
    @Option(names = "--wedges", defaultValue = "8", description = "simulated wedges per occupancy (default ${DEFAULT-VALUE})") int wedges;
    @Option(names = "--passes", defaultValue = "3", description = "timed passes, best reported (default ${DEFAULT-VALUE})") int passes;
    @Option(names = "--no-dense", description = "skip the dense BCAE++ baseline") boolean noDense;
    @Option(names = "--no-decoder", description = "skip timing the decoders") boolean noDecoder;
    @Option(names = "--seed", defaultValue = "1", description = "simulation seed (default ${DEFAULT-VALUE})") long seed;
    @Option(names = "--plot", paramLabel = "PNG", description = "write throughput against occupancy (log x) to this PNG") Path plot;
    @Option(names = "--json", description = "machine-readable results") boolean json;

    @Override
    public Integer call() throws Exception {
        if (wedges < 1 || passes < 1) throw new UserError("--wedges and --passes must be >= 1");
        double[] occ = occupancies == null ? ThroughputBench.Config.standard().occupancies() : occupancies;
        for (double o : occ) if (!(o > 0 && o <= 0.3)) throw new UserError("--occupancy values must be in (0, 0.3], got " + o);
        BcaeVs model;
        String name;
        try {
            Path ck = TpcCommand.checkpoint(checkpoint);
            model = BcaeVs.load(ck);
            name = ck.getFileName().toString();
        } catch (UserError e) {
            if (checkpoint != null) throw e;
            model = BcaeVs.initialize(seed);
            name = "random-init (no checkpoint found)";
        }
        ThroughputBench.Config cfg = new ThroughputBench.Config(occ, wedges, passes, !noDense, !noDecoder, seed);
        ThroughputBench.Result r;
        try (var bar = Progress.bar("bench", occ.length + (noDecoder ? 0 : 1))) {
            r = ThroughputBench.run(model, name, cfg, bar::step);
        }
        if (plot != null) writePlot(plot, r);
        if (json) {
            System.out.println(TpcCommand.JSON.writeValueAsString(toJson(r)));
            return 0;
        }
        System.out.printf("BCAE-VS throughput on simulated wedges (%s), %d threads, %d wedges per occupancy; wall clock, noisy on a shared machine%n",
                r.model(), r.threads(), r.wedgesPerOccupancy());
        System.out.printf("%10s %14s %15s %12s %8s %14s %10s%n", "occupancy", "encoder w/s", "compress w/s", "bytes/wedge", "ratio", "bcae++ enc w/s", "vs dense");
        for (var row : r.rows())
            System.out.printf("%9.2f%% %14.1f %15.1f %12.0f %8.1f %14s %10s%n", 100 * row.occupancy(), row.encoderWedgesPerSec(),
                    row.compressWedgesPerSec(), row.bytesPerWedge(), row.compressionRatio(),
                    Double.isNaN(row.denseEncoderWedgesPerSec()) ? "-" : String.format("%.2f", row.denseEncoderWedgesPerSec()),
                    Double.isNaN(row.speedupOverDense()) ? "-" : String.format("%.1fx", row.speedupOverDense())); // "-": --no-dense
        var rows = r.rows();
        if (rows.size() > 1) {
            var lo = rows.stream().min((a, b) -> Double.compare(a.occupancy(), b.occupancy())).orElseThrow();
            var hi = rows.stream().max((a, b) -> Double.compare(a.occupancy(), b.occupancy())).orElseThrow();
            System.out.printf("encoder at %.2f%% is %.1fx its throughput at %.2f%%%n", 100 * lo.occupancy(),
                    lo.encoderWedgesPerSec() / hi.encoderWedgesPerSec(), 100 * hi.occupancy());
        }
        if (r.decoder() != null)
            System.out.printf("decoders (both heads): %.3f wedges/s, %.1f GFLOP per wedge, %.2f GFLOP/s%n",
                    r.decoder().wedgesPerSec(), r.decoder().gflopPerWedge(), r.decoder().gflopPerSec());
        return 0;
    }

    static Map<String, Object> toJson(ThroughputBench.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", r.model());
        m.put("threads", r.threads());
        m.put("wedges_per_occupancy", r.wedgesPerOccupancy());
        m.put("rows", r.rows().stream().map(row -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("occupancy", row.occupancy());
            o.put("encoder_wedges_per_s", row.encoderWedgesPerSec());
            o.put("compress_wedges_per_s", row.compressWedgesPerSec());
            o.put("bytes_per_wedge", row.bytesPerWedge());
            o.put("compression_ratio", row.compressionRatio());
            o.put("dense_encoder_wedges_per_s", TpcCommand.num(row.denseEncoderWedgesPerSec()));
            o.put("speedup_over_dense", TpcCommand.num(row.speedupOverDense()));
            return o;
        }).toList());
        if (r.decoder() != null) m.put("decoder", Map.of("wedges_per_s", r.decoder().wedgesPerSec(),
                "gflop_per_wedge", r.decoder().gflopPerWedge(), "gflop_per_s", r.decoder().gflopPerSec()));
        return m;
    }

    static void writePlot(Path png, ThroughputBench.Result r) throws Exception {
        XYChart c = new XYChartBuilder().width(900).height(600)
                .title("Encoder throughput vs occupancy (" + r.threads() + " threads, simulated wedges)")
                .xAxisTitle("occupancy (%)").yAxisTitle("wedges / s").build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        List<ThroughputBench.Row> rows = r.rows();
        double[] x = rows.stream().mapToDouble(row -> 100 * row.occupancy()).toArray();
        c.addSeries("BCAE-VS sparse encoder", x, rows.stream().mapToDouble(ThroughputBench.Row::encoderWedgesPerSec).toArray()).setMarker(SeriesMarkers.CIRCLE);
        c.addSeries("BCAE-VS compress (encoder+gate+file)", x, rows.stream().mapToDouble(ThroughputBench.Row::compressWedgesPerSec).toArray()).setMarker(SeriesMarkers.SQUARE);
        double[] dense = rows.stream().mapToDouble(ThroughputBench.Row::denseEncoderWedgesPerSec).toArray();
        if (Arrays.stream(dense).noneMatch(Double::isNaN))
            c.addSeries("BCAE++ dense encoder", x, dense).setMarker(SeriesMarkers.DIAMOND);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(c, out, BitmapEncoder.BitmapFormat.PNG);
        vireo.tpc.BcaeVsFile.writeAtomically(png, out.toByteArray());
    }
}
