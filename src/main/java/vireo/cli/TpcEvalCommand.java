package vireo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vireo.tpc.BcaeVs;
import vireo.tpc.BcaeVsCodec;
import vireo.tpc.CodecEvaluation;
import vireo.tpc.Gate;
import vireo.tpc.Wedge;
import vireo.tpc.WedgeCodec;
import vireo.tpc.WedgeFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo tpc eval WEDGE...}: compress and rebuild each wedge with every codec and score them in one table. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Score BCAE-VS (and the baseline codecs) on wedges: keep ratio, compression ratio, MAE, MSE, PSNR, precision, recall.")
public final class TpcEvalCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "WEDGE", description = "wedge .npy files") List<Path> inputs;
    @Option(names = "--checkpoint", paramLabel = "FILE", description = "BCAE-VS checkpoint (default ../shared/models/bcae-vs/model_last.pth)") Path checkpoint;
    @Option(names = "--threshold", paramLabel = "T", description = "keep voxels with p > T (default: the seeded random gate)") Double threshold;
    @Option(names = "--seed", defaultValue = "0", description = "seed of the random gate (default ${DEFAULT-VALUE})") long seed;
    @Option(names = "--json", description = "machine-readable results") boolean json;

    @Option(names = "--dense-checkpoint", paramLabel = "FILE",
            description = "a BCAE++ baseline trained with `vireo tpc train-dense`: adds its row (fixed ratio 31.125)") Path denseCheckpoint;

    /**
     * The table: BCAE-VS first, then the baselines — lossless zstd, the SZ-style codec at the MAE BCAE-VS reached on
     * these wedges (so the two compare at equal error), and BCAE++ when a trained checkpoint is given.
     */
    static List<CodecEvaluation> evaluate(List<Wedge> wedges, BcaeVs model, Gate gate, Path denseCheckpoint, Consumer<String> progress) {
        List<CodecEvaluation> rows = new ArrayList<>();
        rows.add(CodecEvaluation.evaluate(wedges, new BcaeVsCodec(model, gate), progress));
        List<WedgeCodec> baselines = new ArrayList<>();
        baselines.add(new vireo.tpc.ZstdCodec());
        baselines.add(vireo.tpc.SzCodec.atMae(rows.get(0).mae()));
        if (denseCheckpoint != null) baselines.add(vireo.tpc.BcaePlusPlus.load(denseCheckpoint));
        rows.addAll(CodecEvaluation.evaluate(wedges, baselines, progress));
        return rows;
    }

    @Override
    public Integer call() throws Exception {
        Gate gate = TpcCommand.gate(threshold, seed);
        BcaeVs model = TpcCommand.model(checkpoint);
        List<Wedge> wedges = new ArrayList<>();
        for (Path p : inputs) wedges.addAll(WedgeFiles.read(p));
        List<CodecEvaluation> rows;
        try (var bar = Progress.bar("eval", (long) wedges.size() * (denseCheckpoint == null ? 3 : 4))) {
            rows = evaluate(wedges, model, gate, denseCheckpoint, s -> bar.step());
        }
        if (json) System.out.println(TpcCommand.JSON.writeValueAsString(toJson(rows, gate)));
        else {
            System.out.printf("%d wedge(s), mean occupancy %.4f, BCAE-VS gate %s%n", wedges.size(),
                    wedges.stream().mapToDouble(Wedge::occupancy).average().orElse(0), gate);
            System.out.print(CodecEvaluation.table(rows));
        }
        return 0;
    }

    static Map<String, Object> toJson(List<CodecEvaluation> rows, Gate gate) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("gate", gate.toString());
        List<Map<String, Object>> list = new ArrayList<>();
        for (CodecEvaluation r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("codec", r.codec());
            m.put("wedges", r.wedges());
            m.put("keep_ratio", TpcCommand.num(r.keepRatio()));
            m.put("compression_ratio", r.compressionRatio());
            m.put("compression_ratio_authors", TpcCommand.num(r.compressionRatioAuthors()));
            m.put("bits_per_point", TpcCommand.num(r.bitsPerPoint()));
            m.put("mae", r.mae());
            m.put("mse", r.mse());
            m.put("psnr", r.psnr());
            m.put("psnr_authors", r.psnrAuthors());
            m.put("precision", r.precision());
            m.put("recall", r.recall());
            m.put("encode_seconds", r.encodeSeconds());
            m.put("decode_seconds", r.decodeSeconds());
            list.add(m);
        }
        out.put("codecs", list);
        return out;
    }
}
