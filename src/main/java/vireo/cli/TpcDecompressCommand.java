package vireo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vireo.tpc.BcaeVs;
import vireo.tpc.BcaeVsFile;
import vireo.tpc.KeptVoxels;
import vireo.tpc.Wedge;
import vireo.tpc.WedgeFiles;
import vireo.io.InvalidFileException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vireo tpc decompress IN -o OUT.npy}: rebuild the wedges of a BCAE-VS file as uint16 ADC. */
@Command(name = "decompress", mixinStandardHelpOptions = true,
        description = "Decompress a BCAE-VS file to uint16 ADC wedges (.npy: (192,249,16), or (N,192,249,16) for several).")
public final class TpcDecompressCommand implements Callable<Integer> {
    @Parameters(paramLabel = "IN", description = "compressed file (.bvs)") Path input;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.npy") Path output;
    @Option(names = "--checkpoint", paramLabel = "FILE", description = "the checkpoint that compressed IN (default ../shared/models/bcae-vs/model_last.pth)") Path checkpoint;

    @Override
    public Integer call() throws Exception {
        BcaeVsFile f = BcaeVsFile.read(input);
        BcaeVs model = TpcCommand.model(checkpoint);
        if (!f.modelIdentity().equals(model.identity()))
            throw new InvalidFileException(input, "written by BCAE-VS model " + f.modelIdentity() + ", but the checkpoint given is " + model.identity());
        List<Wedge> out = new ArrayList<>();
        try (var bar = Progress.bar("decompress", f.wedges().size())) {
            for (KeptVoxels k : f.wedges()) {
                out.add(model.decompress(k));
                bar.step();
            }
        }
        WedgeFiles.write(output, out);
        System.out.printf("%s: %d wedge(s) written%n", output, out.size());
        return 0;
    }
}
