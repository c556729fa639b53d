package vireo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vireo.tpc.BcaeVs;
import vireo.tpc.BcaeVsFile;
import vireo.tpc.Gate;
import vireo.tpc.KeptVoxels;
import vireo.tpc.Wedge;
import vireo.tpc.WedgeFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo tpc compress IN... -o OUT}: every wedge of the inputs into one BCAE-VS file. */
@Command(name = "compress", mixinStandardHelpOptions = true,
        description = "Compress wedges (uint16 ADC .npy, (192,249,16) or stacked (N,192,249,16)) into one BCAE-VS file.")
public final class TpcCompressCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "IN", description = "wedge .npy files") List<Path> inputs;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "compressed file to write (.bvs)") Path output;
    @Option(names = "--checkpoint", paramLabel = "FILE", description = "BCAE-VS checkpoint (default ../shared/models/bcae-vs/model_last.pth)") Path checkpoint;
    @Option(names = "--threshold", paramLabel = "T", description = "keep voxels with p > T (default: the seeded random gate)") Double threshold;
    @Option(names = "--seed", defaultValue = "0", description = "seed of the random gate (default ${DEFAULT-VALUE})") long seed;
    @Option(names = "--json", description = "print the summary as JSON") boolean json;

    @Override
    public Integer call() throws Exception {
        Gate gate = TpcCommand.gate(threshold, seed);
        BcaeVs model = TpcCommand.model(checkpoint);
        List<Wedge> wedges = new ArrayList<>();
        for (Path p : inputs) wedges.addAll(WedgeFiles.read(p));
        List<KeptVoxels> codes = new ArrayList<>();
        long nonzero = 0;
        try (var bar = Progress.bar("compress", wedges.size())) {
            for (int i = 0; i < wedges.size(); i++) {
                Wedge w = wedges.get(i);
                codes.add(model.compress(w, gate.forWedge(i)));
                nonzero += w.nonzero();
                bar.step();
            }
        }
        BcaeVsFile f = new BcaeVsFile(model.identity(), gate, codes);
        f.write(output);
        BcaeVsFile.Accounting a = f.accounting();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("output", output.toString());
        r.put("wedges", wedges.size());
        r.put("gate", gate.toString());
        r.put("kept_points", a.points());
        r.put("keep_ratio", a.points() / (double) nonzero);
        r.put("bytes", a.fileBytes());
        r.put("compression_ratio", 2.0 * Wedge.VOXELS * wedges.size() / a.fileBytes());
        r.put("position_bits_per_point", a.positionBitsPerPoint());
        r.put("value_bits_per_point", a.valueBitsPerPoint());
        if (json) System.out.println(TpcCommand.JSON.writeValueAsString(r));
        else System.out.printf("%s: %d wedge(s), %d kept points (keep %.4f, %s), %d bytes, compression ratio %.2f, "
                        + "positions %.2f bits/point, values %.2f bits/point%n", output, wedges.size(), a.points(),
                a.points() / (double) nonzero, gate, a.fileBytes(), (double) r.get("compression_ratio"),
                a.positionBitsPerPoint(), a.valueBitsPerPoint());
        return 0;
    }
}
