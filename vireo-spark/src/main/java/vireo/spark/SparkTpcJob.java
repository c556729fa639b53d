package vireo.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import vireo.tpc.BcaeVs;
import vireo.tpc.BcaeVsCodec;
import vireo.tpc.BcaeVsFile;
import vireo.tpc.Gate;
import vireo.tpc.KeptVoxels;
import vireo.tpc.ReconstructionMetrics;
import vireo.tpc.Wedge;
import vireo.tpc.WedgeFiles;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * BCAE-VS over many wedge files with Spark: one task per input file, each calling the core's own codec
 * ({@link BcaeVsCodec#file}), so a file's .bvs is byte-identical to {@code vireo tpc compress FILE -o OUT}.
 * The checkpoint travels once per executor as a {@link Broadcast} of its bytes; {@link ExecutorModel} builds the model
 * lazily once per executor JVM. A task never throws for a bad input (unless fail-fast): it returns a failed
 * {@link FileResult} naming the file, so the rest of the job goes on.
 */
public final class SparkTpcJob {
    private SparkTpcJob() {}

    public enum Mode { COMPRESS, DECOMPRESS, EVAL }

    /**
     * What one job does; plain values so the task closures serialize (the core's {@link Gate} is not Serializable, so
     * it travels as its threshold, null for the seeded random gate, and seed).
     */
    public record Settings(Mode mode, String output, Double threshold, long seed, boolean failFast, String checkpointSuffix)
            implements Serializable {
        public Gate gate() { return threshold == null ? new Gate.Random(seed) : new Gate.Threshold(threshold); }
    }

    /** Outcome of one input file on one executor. */
    public record FileResult(String input, String output, String status, String message, int wedges, long inputBytes,
                             long outputBytes, double seconds, String executor, List<WedgeMetrics> metrics)
            implements Serializable {
        public boolean failed() { return status.equals("failed"); }
    }

    /** Per-wedge scores of {@code eval}. */
    public record WedgeMetrics(String input, int wedge, double occupancy, int keptPoints, double mae, double mse,
                               double psnr, double precision, double recall) implements Serializable {}

    /** The files a path or glob names (any Hadoop file system URL), sorted. */
    public static List<String> listInputs(Configuration conf, String glob) throws IOException {
        Path p = new Path(glob);
        FileSystem fs = p.getFileSystem(conf);
        FileStatus[] st = fs.globStatus(p);
        List<String> out = new ArrayList<>();
        if (st != null) for (FileStatus s : st) {
            if (s.isDirectory()) {
                for (FileStatus c : fs.listStatus(s.getPath())) if (c.isFile()) out.add(c.getPath().toString());
            } else out.add(s.getPath().toString());
        }
        out.sort(null);
        return out;
    }

    /** Runs the job; the driver collects one result per input. */
    public static List<FileResult> run(JavaSparkContext sc, List<String> inputs, byte[] checkpoint, Settings s) throws IOException {
        Path outDir = new Path(s.output());
        outDir.getFileSystem(sc.hadoopConfiguration()).mkdirs(outDir);
        Broadcast<byte[]> ckpt = sc.broadcast(checkpoint);
        var conf = new SerializableConfiguration(sc.hadoopConfiguration());
        if (inputs.isEmpty()) return List.of();
        return sc.parallelize(inputs, inputs.size()).map(in -> processFile(in, ckpt, conf, s)).collect();
    }

    static FileResult processFile(String input, Broadcast<byte[]> ckpt, SerializableConfiguration conf, Settings s) {
        String executor = SparkEnv.get() == null ? "local" : SparkEnv.get().executorId();
        String name = new Path(input).getName();
        String outName = switch (s.mode()) {
            case COMPRESS -> stripExtension(name, ".npy") + ".bvs";
            case DECOMPRESS -> stripExtension(name, ".bvs") + ".npy";
            case EVAL -> null;
        };
        Path out = outName == null ? null : new Path(s.output(), outName);
        long t0 = System.nanoTime();
        try {
            Configuration c = conf.value();
            if (s.mode() == Mode.COMPRESS && validBvs(c, out))
                return new FileResult(input, out.toString(), "skipped", "valid output exists", 0, 0,
                        out.getFileSystem(c).getFileStatus(out).getLen(), 0, executor, List.of());
            if (s.mode() == Mode.DECOMPRESS && out.getFileSystem(c).exists(out))
                return new FileResult(input, out.toString(), "skipped", "output exists", 0, 0,
                        out.getFileSystem(c).getFileStatus(out).getLen(), 0, executor, List.of());
            byte[] in = readAll(c, new Path(input));
            BcaeVsCodec codec = new BcaeVsCodec(ExecutorModel.get(ckpt, s.checkpointSuffix()), s.gate());
            return switch (s.mode()) {
                case COMPRESS -> {
                    List<Wedge> wedges = readWedges(name, in);
                    byte[] bvs = codec.file(wedges).toBytes();
                    writeAtomically(c, out, bvs);
                    yield new FileResult(input, out.toString(), "ok", "", wedges.size(), in.length, bvs.length,
                            seconds(t0), executor, List.of());
                }
                case DECOMPRESS -> {
                    BcaeVsFile f = BcaeVsFile.parse(java.nio.file.Path.of(name), in);
                    List<Wedge> wedges = codec.decode(java.nio.file.Path.of(name), f);
                    byte[] npy = npyBytes(wedges);
                    writeAtomically(c, out, npy);
                    yield new FileResult(input, out.toString(), "ok", "", wedges.size(), in.length, npy.length,
                            seconds(t0), executor, List.of());
                }
                case EVAL -> {
                    List<Wedge> wedges = readWedges(name, in);
                    BcaeVsFile f = codec.file(wedges);
                    long bytes = f.toBytes().length;
                    List<WedgeMetrics> m = new ArrayList<>();
                    for (int i = 0; i < wedges.size(); i++) {
                        KeptVoxels k = f.wedges().get(i);
                        ReconstructionMetrics r = ReconstructionMetrics.compare(wedges.get(i), codec.model().decompress(k));
                        m.add(new WedgeMetrics(input, i, wedges.get(i).occupancy(), k.size(), r.mae(), r.mse(), r.psnr(),
                                r.precision(), r.recall()));
                    }
                    yield new FileResult(input, "", "ok", "", wedges.size(), in.length, bytes, seconds(t0), executor, m);
                }
            };
        } catch (Exception e) {
            if (s.failFast()) throw new RuntimeException(input + ": " + e.getMessage(), e);
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new FileResult(input, out == null ? "" : out.toString(), "failed", msg, 0, 0, 0, seconds(t0), executor, List.of());
        }
    }

    /** An existing output that parses (magic, version, CRC-32 of the whole body) is kept on a re-run. */
    static boolean validBvs(Configuration c, Path out) {
        try {
            FileSystem fs = out.getFileSystem(c);
            if (!fs.exists(out)) return false;
            BcaeVsFile.parse(java.nio.file.Path.of(out.getName()), readAll(c, out));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Atomic on the target file system: the bytes go to a hidden task-attempt file in {@code _temporary/} of the output
     * folder, then one rename (atomic on HDFS and local file systems) puts them in place, so a killed task leaves no
     * partial .bvs and a speculative duplicate writes the same bytes.
     */
    static void writeAtomically(Configuration c, Path out, byte[] bytes) throws IOException {
        FileSystem fs = out.getFileSystem(c);
        var tc = org.apache.spark.TaskContext.get();
        String attempt = tc == null ? "driver" : tc.stageId() + "-" + tc.partitionId() + "-" + tc.attemptNumber();
        Path tmp = new Path(new Path(out.getParent(), "_temporary"), "." + out.getName() + "." + attempt + ".tmp");
        try (FSDataOutputStream o = fs.create(tmp, true)) {
            o.write(bytes);
        }
        try {
            if (fs.exists(out)) fs.delete(out, false); // an invalid leftover (a valid one was skipped)
            if (!fs.rename(tmp, out)) throw new IOException("cannot rename " + tmp + " to " + out);
        } finally {
            fs.delete(tmp, false);
        }
    }

    static byte[] readAll(Configuration c, Path p) throws IOException {
        FileSystem fs = p.getFileSystem(c);
        long len = fs.getFileStatus(p).getLen();
        if (len > Integer.MAX_VALUE - 16) throw new IOException("file too large for one task: " + len + " bytes");
        byte[] b = new byte[(int) len];
        try (var in = fs.open(p)) {
            in.readFully(0, b);
        }
        return b;
    }

    /** The core reads .npy from a local path; a task stages the bytes it read from any file system. */
    static List<Wedge> readWedges(String name, byte[] npy) throws IOException {
        java.nio.file.Path tmp = Files.createTempFile("vireo-spark-", "-" + name);
        try {
            Files.write(tmp, npy);
            return WedgeFiles.read(tmp);
        } catch (RuntimeException e) { // name the input, not the staged copy (the caller adds the input's URL)
            String m = String.valueOf(e.getMessage());
            throw new IOException(m.startsWith(tmp + ": ") ? m.substring(tmp.toString().length() + 2) : m, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static byte[] npyBytes(List<Wedge> wedges) throws IOException {
        java.nio.file.Path dir = Files.createTempDirectory("vireo-spark-");
        java.nio.file.Path tmp = dir.resolve("w.npy");
        try {
            WedgeFiles.write(tmp, wedges);
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(dir);
        }
    }

    static String stripExtension(String name, String ext) {
        return name.endsWith(ext) ? name.substring(0, name.length() - ext.length()) : name;
    }

    static double seconds(long t0) { return (System.nanoTime() - t0) / 1e9; }

    /** The Spark configuration Vireo's launcher and tests use: Kryo is not needed, the Java serializer suffices. */
    public static SparkConf conf(String master) {
        return new SparkConf().setAppName("vireo-tpc").setMaster(master)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
    }
}
