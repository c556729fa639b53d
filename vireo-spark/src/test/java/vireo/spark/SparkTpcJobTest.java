package vireo.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import vireo.cli.TpcCompressCommand;
import vireo.tpc.Gate;
import vireo.tpc.Simulator;
import vireo.tpc.Wedge;
import vireo.tpc.WedgeFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Spark job in local mode on simulated wedges and one corrupt file, against the single-machine CLI. */
class SparkTpcJobTest {
    static final Path CHECKPOINT = Path.of("../../shared/models/bcae-vs/model_last.pth").toAbsolutePath().normalize();
    static JavaSparkContext sc;
    @TempDir static Path dir;
    static Path in, expected;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(Files.isRegularFile(CHECKPOINT), "needs ../shared/models/bcae-vs/model_last.pth");
        in = Files.createDirectories(dir.resolve("in"));
        expected = Files.createDirectories(dir.resolve("expected"));
        Simulator sim = new Simulator();
        for (int i = 0; i < 3; i++) WedgeFiles.writeAdc(in.resolve("w" + i + ".npy"), sim.simulate(0.02, 100 + i).adc());
        // a stacked file: gate.forWedge(i) counts wedges within a file, as in `vireo tpc compress`
        WedgeFiles.write(in.resolve("stack.npy"), List.of(sim.simulate(0.02, 7).wedge(), sim.simulate(0.02, 8).wedge()));
        Files.write(in.resolve("corrupt.npy"), "\u0093NUMPY garbage, not a wedge".getBytes());
        for (String n : List.of("w0", "w1", "w2", "stack")) {
            int rc = new CommandLine(new TpcCompressCommand()).execute(in.resolve(n + ".npy").toString(),
                    "-o", expected.resolve(n + ".bvs").toString(), "--checkpoint", CHECKPOINT.toString(), "--json");
            assertEquals(0, rc, "single-machine compress of " + n);
        }
        sc = new JavaSparkContext(SparkTpcJob.conf("local[2]"));
        sc.setLogLevel("ERROR");
    }

    @AfterAll
    static void tearDown() { if (sc != null) sc.close(); }

    static List<SparkTpcJob.FileResult> run(SparkTpcJob.Mode mode, String glob, Path out) throws Exception {
        var files = SparkTpcJob.listInputs(sc.hadoopConfiguration(), glob);
        return SparkTpcJob.run(sc, files, Files.readAllBytes(CHECKPOINT),
                new SparkTpcJob.Settings(mode, out.toUri().toString(), null, 0, false, ".pth"));
    }

    static Map<String, String> statusByName(List<SparkTpcJob.FileResult> rs) {
        return rs.stream().collect(Collectors.toMap(r -> Path.of(java.net.URI.create(r.input())).getFileName().toString(),
                SparkTpcJob.FileResult::status));
    }

    @Test
    void compressMatchesTheSingleMachineCliReportsTheCorruptFileAndResumes() throws Exception {
        Path out = dir.resolve("out");
        int builds = ExecutorModel.builds;
        var rs = run(SparkTpcJob.Mode.COMPRESS, in.toUri() + "*.npy", out);
        assertEquals(Map.of("w0.npy", "ok", "w1.npy", "ok", "w2.npy", "ok", "stack.npy", "ok", "corrupt.npy", "failed"), statusByName(rs));
        assertEquals(builds + 1, ExecutorModel.builds, "one model per executor JVM (local mode: one JVM), not per task");
        var bad = rs.stream().filter(SparkTpcJob.FileResult::failed).findFirst().orElseThrow();
        assertTrue(bad.input().endsWith("corrupt.npy"), bad.input());
        assertFalse(bad.message().isBlank());
        assertFalse(Files.exists(out.resolve("corrupt.bvs")), "no output for the corrupt input");
        for (String n : List.of("w0", "w1", "w2", "stack"))
            assertArrayEquals(Files.readAllBytes(expected.resolve(n + ".bvs")), Files.readAllBytes(out.resolve(n + ".bvs")), n);
        assertEquals(5, rs.stream().filter(r -> r.status().equals("ok")).mapToInt(SparkTpcJob.FileResult::wedges).sum());
        try (var s = Files.list(out.resolve("_temporary"))) { assertEquals(0, s.count(), "no task-attempt files left"); }

        // an interrupted job: one output missing, one truncated; the re-run redoes exactly those two
        Files.delete(out.resolve("w1.bvs"));
        byte[] w2 = Files.readAllBytes(out.resolve("w2.bvs"));
        Files.write(out.resolve("w2.bvs"), Arrays.copyOf(w2, w2.length - 5));
        var again = statusByName(run(SparkTpcJob.Mode.COMPRESS, in.toUri() + "*.npy", out));
        assertEquals(Map.of("w0.npy", "skipped", "w1.npy", "ok", "w2.npy", "ok", "stack.npy", "skipped", "corrupt.npy", "failed"), again);
        for (String n : List.of("w0", "w1", "w2", "stack"))
            assertArrayEquals(Files.readAllBytes(expected.resolve(n + ".bvs")), Files.readAllBytes(out.resolve(n + ".bvs")), n);
    }

    @Test
    void decompressRebuildsWhatTheCoreDecodes() throws Exception {
        Path out = dir.resolve("decoded");
        var rs = run(SparkTpcJob.Mode.DECOMPRESS, expected.toUri() + "*.bvs", out);
        assertTrue(rs.stream().noneMatch(SparkTpcJob.FileResult::failed), rs.toString());
        var codec = new vireo.tpc.BcaeVsCodec(vireo.tpc.BcaeVs.load(CHECKPOINT), new Gate.Random(0));
        var f = vireo.tpc.BcaeVsFile.read(expected.resolve("stack.bvs"));
        List<Wedge> want = codec.decode(expected.resolve("stack.bvs"), f);
        List<Wedge> got = WedgeFiles.read(out.resolve("stack.npy"));
        assertEquals(2, got.size());
        for (int i = 0; i < 2; i++) assertArrayEquals(want.get(i).toAdc(), got.get(i).toAdc());
    }

    @Test
    void evalGivesOneRowPerWedgeAndTheAggregate() throws Exception {
        Path out = dir.resolve("eval");
        var rs = run(SparkTpcJob.Mode.EVAL, in.toUri() + "*.npy", out);
        EvalTable.write(sc.hadoopConfiguration(), out.toUri().toString(), rs);
        List<String> csv = Files.readAllLines(out.resolve("wedges.csv"));
        assertEquals(1 + 5, csv.size(), String.join("\n", csv));
        var json = SparkTpcCommand.JSON.readTree(out.resolve("wedges.json").toFile());
        assertEquals(5, json.get("aggregate").get("wedges").asInt());
        double mae = json.get("aggregate").get("mean_mae").asDouble();
        assertTrue(mae > 0 && mae < 1, "mean MAE " + mae);
        var w0 = rs.stream().filter(r -> r.input().endsWith("w0.npy")).findFirst().orElseThrow().metrics().getFirst();
        var reco = vireo.tpc.BcaeVs.load(CHECKPOINT);
        var wedge = WedgeFiles.read(in.resolve("w0.npy")).getFirst();
        var m = vireo.tpc.ReconstructionMetrics.compare(wedge, reco.decompress(reco.compress(wedge, new Gate.Random(0).forWedge(0))));
        assertEquals(m.mae(), w0.mae(), 1e-12);
        assertEquals(m.recall(), w0.recall(), 1e-12);
    }
}
