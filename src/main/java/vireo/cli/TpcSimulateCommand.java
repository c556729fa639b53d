package vireo.cli;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vireo.tpc.Simulator;
import vireo.tpc.Wedge;
import vireo.tpc.WedgeFiles;
import vireo.tpc.WedgeStatistics;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo tpc simulate}: a simulated wedge as a uint16 .npy, optionally compared with a real one in a PNG. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulate a TPC wedge (helical tracks in 1.4 T, diffusion, shaper, Landau ADC, zero suppression) "
                + "at a requested occupancy and write it as uint16 .npy (192x249x16).")
public final class TpcSimulateCommand implements Callable<Integer> {
    @Option(names = "--occupancy", required = true, paramLabel = "F", description = "occupancy as a fraction (0.001 = p+p, 0.1 = the Au+Au sample, 0.15 = central) or a percentage like 10%%") String occupancy;
    @Option(names = "--seed", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})") long seed;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "NPY", description = "output wedge file") Path output;
    @Option(names = "--compare", paramLabel = "REAL.npy", description = "a real wedge to compare statistics with") Path compare;
    @Option(names = "--plot", paramLabel = "PNG", description = "side-by-side PNG: per-layer occupancy, ADC histograms, one layer's slice (needs --compare)") Path plot;
    @Option(names = "--json", description = "machine-readable results") boolean json;

    static double parseOccupancy(String s) {
        try {
            String t = s.strip();
            double v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
            if (!(v > 0 && v <= 0.3)) throw new UserError("--occupancy must be in (0, 0.3] (or 0%..30%), got " + s);
            return v;
        } catch (NumberFormatException e) {
            throw new UserError("--occupancy: not a number: " + s);
        }
    }

    @Override
    public Integer call() throws Exception {
        double occ = parseOccupancy(occupancy);
        if (plot != null && compare == null) throw new UserError("--plot needs --compare REAL.npy");
        short[] real = compare == null ? null : WedgeFiles.readAdc(compare);
        Simulator.Result r = new Simulator().simulate(occ, seed);
        WedgeFiles.writeAdc(output, r.adc());
        WedgeStatistics s = WedgeStatistics.of(r.adc());
        WedgeStatistics rs = real == null ? null : WedgeStatistics.of(real);
        if (plot != null) writePlot(plot, real, r.adc(), rs, s);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("output", output.toString());
            m.put("tracks", r.tracks());
            m.put("simulated", stats(s));
            if (rs != null) m.put("real", stats(rs));
            System.out.println(TpcCommand.JSON.writeValueAsString(m));
            return 0;
        }
        System.out.printf("wrote %s: %d tracks, occupancy %.4f (requested %.4f)%n", output, r.tracks(), s.occupancy(), occ);
        System.out.printf("%-10s %9s %9s %9s %6s %6s %6s %6s %6s%n", "", "occupancy", "layer 0", "layer 15", "min", "p50", "p95", "p99", "max");
        row("simulated", s);
        if (rs != null) row("real", rs);
        if (plot != null) System.out.println("plot: " + plot);
        return 0;
    }

    private static void row(String name, WedgeStatistics s) {
        System.out.printf("%-10s %9.4f %9.4f %9.4f %6d %6.0f %6.0f %6.0f %6d%n", name, s.occupancy(), s.layerOccupancy()[0],
                s.layerOccupancy()[15], s.min(), s.percentile(50), s.percentile(95), s.percentile(99), s.max());
    }

    private static Map<String, Object> stats(WedgeStatistics s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("occupancy", s.occupancy());
        m.put("layer_occupancy", s.layerOccupancy());
        m.put("min", s.min());
        m.put("max", s.max());
        Map<String, Double> p = new LinkedHashMap<>();
        for (int i = 0; i < WedgeStatistics.PERCENTILES.length; i++) p.put("p" + (int) WedgeStatistics.PERCENTILES[i], s.percentiles()[i]);
        m.put("percentiles", p);
        return m;
    }

    static void writePlot(Path png, short[] real, short[] sim, WedgeStatistics rs, WedgeStatistics ss) throws Exception {
        int w = 700, h = 450;
        XYChart layers = new XYChartBuilder().width(w).height(h).title("Occupancy per layer").xAxisTitle("layer (outer group, inner → outer)").yAxisTitle("occupancy").build();
        double[] lx = new double[Wedge.LAYERS];
        for (int l = 0; l < lx.length; l++) lx[l] = l;
        layers.addSeries("real", lx, rs.layerOccupancy()).setMarker(SeriesMarkers.CIRCLE);
        layers.addSeries("simulated", lx, ss.layerOccupancy()).setMarker(SeriesMarkers.SQUARE);
        layers.getStyler().setYAxisMin(0.0);

        XYChart hist = new XYChartBuilder().width(w).height(h).title("ADC of nonzero voxels").xAxisTitle("ADC").yAxisTitle("fraction per bin").build();
        hist.getStyler().setXAxisLogarithmic(true);
        hist.getStyler().setYAxisLogarithmic(true);
        double[] e = WedgeStatistics.HIST_EDGES;
        double[] cx = new double[e.length - 1];
        for (int i = 0; i < cx.length; i++) cx[i] = Math.sqrt(e[i] * e[i + 1]);
        hist.addSeries("real", cx, floorAt(rs.histogram())).setMarker(SeriesMarkers.CIRCLE);
        hist.addSeries("simulated", cx, floorAt(ss.histogram())).setMarker(SeriesMarkers.SQUARE);

        int layer = 8;
        BufferedImage sliceReal = slice(real, layer), sliceSim = slice(sim, layer);
        int pad = 10, titleH = 24;
        BufferedImage out = new BufferedImage(2 * w, h + titleH + sliceReal.getHeight() + pad, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(BitmapEncoder.getBufferedImage(layers), 0, 0, null);
        g.drawImage(BitmapEncoder.getBufferedImage(hist), w, 0, null);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        int y = h + titleH - 6;
        g.drawString("real, layer " + layer + " (z/time → right, azimuth ↓; colour = log ADC)", pad, y);
        g.drawString("simulated, layer " + layer, w + pad, y);
        g.drawImage(sliceReal, pad, h + titleH, null);
        g.drawImage(sliceSim, w + pad, h + titleH, null);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(out, "png", bytes);
        vireo.tpc.BcaeVsFile.writeAtomically(png, bytes.toByteArray());
    }

    private static double[] floorAt(double[] v) {
        double[] o = v.clone();
        for (int i = 0; i < o.length; i++) if (o[i] <= 0) o[i] = 1e-6;   // log axis: empty bins drawn at the floor
        return o;
    }

    /** One layer as an image: azimuth down, z across (2 px per z bin, 2 px per azimuth bin), log ADC in a heat map. */
    private static BufferedImage slice(short[] adc, int layer) {
        int sx = 2, sy = 2;
        BufferedImage img = new BufferedImage(Wedge.Z * sx, Wedge.AZIMUTH * sy, BufferedImage.TYPE_INT_RGB);
        double lo = Math.log(70), hi = Math.log(1023);
        for (int a = 0; a < Wedge.AZIMUTH; a++)
            for (int z = 0; z < Wedge.Z; z++) {
                int v = adc[Wedge.index(a, z, layer)] & 0xffff;
                int rgb = v == 0 ? 0xffffff : heat((Math.log(v) - lo) / (hi - lo));
                for (int dy = 0; dy < sy; dy++) for (int dx = 0; dx < sx; dx++) img.setRGB(z * sx + dx, a * sy + dy, rgb);
            }
        return img;
    }

    private static int heat(double t) {
        t = Math.max(0, Math.min(1, t));
        Color c = Color.getHSBColor((float) (0.66 * (1 - t)), 0.9f, (float) (0.55 + 0.45 * t));
        return c.getRGB() & 0xffffff;
    }
}
