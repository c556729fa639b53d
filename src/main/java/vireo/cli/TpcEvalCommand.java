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
    @Option(names = "--dense-checkpoint", paramLabel = "FILE", description = "add a BCAE++ row with these weights (from vireo tpc train-dense)") Path denseCheckpoint;

    /** The rows of the table: BCAE-VS first, then whatever baseline codecs exist. */
    static List<WedgeCodec> codecs(BcaeVs model, Gate gate) {
        List<WedgeCodec> c = new ArrayList<>();
        c.add(new BcaeVsCodec(model, gate));
        c.add(new vireo.tpc.ZstdCodec());
        c.add(vireo.tpc.SzCodec.atMae(0.029));
        return c;
    }

    @Override
    public Integer call() throws Exception {
        Gate gate = TpcCommand.gate(threshold, seed);
        BcaeVs model = TpcCommand.model(checkpoint);
        List<Wedge> wedges = new ArrayList<>();
        for (Path p : inputs) wedges.addAll(WedgeFiles.read(p));
        List<WedgeCodec> codecs = codecs(model, gate);
        if (denseCheckpoint != null) codecs.add(vireo.tpc.BcaePlusPlus.load(denseCheckpoint));
        List<CodecEvaluation> rows;
        try (var bar = TpcCommand.progress("eval", (long) wedges.size() * codecs.size())) {
            rows = CodecEvaluation.evaluate(wedges, codecs, s -> bar.step());
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
