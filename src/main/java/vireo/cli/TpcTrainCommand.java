package vireo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vireo.tpc.BcaeVs;
import vireo.tpc.BcaeVsTrainer;
import vireo.tpc.Wedge;
import vireo.tpc.WedgeFiles;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code vireo tpc train DATA...}: train BCAE-VS on wedge .npy files (whole wedges or random crops). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train BCAE-VS with the authors' losses and optimiser on wedge .npy files, directories or globs.",
                "A full-size run is far beyond a CPU (the decoders cost ~100 GFLOP per wedge forward+backward): use --crop and few steps."})
public final class TpcTrainCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "DATA", description = "wedge .npy files, directories of them, or globs like 'data/*.npy' (or none with --simulate)") List<String> data = new ArrayList<>();
    @Option(names = "--simulate", defaultValue = "0", paramLabel = "N", description = "add N simulated wedges (vireo.tpc.Simulator, seeded by --seed)") int simulate;
    @Option(names = "--occupancy", defaultValue = "0.1", description = "occupancy of simulated wedges (default ${DEFAULT-VALUE})") double occupancy;
    @Option(names = "--steps", defaultValue = "100", description = "optimisation steps (default ${DEFAULT-VALUE})") int steps;
    @Option(names = "--batch", defaultValue = "4", description = "wedges (or crops) per batch (default ${DEFAULT-VALUE})") int batch;
    @Option(names = "--crop", paramLabel = "A,Z,L", split = ",", description = "train on random crops of this size instead of whole 192x249x16 wedges") int[] crop;
    @Option(names = "--lr", defaultValue = "1e-3", description = "AdamW learning rate (default ${DEFAULT-VALUE})") double lr;
    @Option(names = "--batches-per-epoch", defaultValue = "2000", description = "for the MultiStepLR milestones at epochs 20,40,60,80 (default ${DEFAULT-VALUE})") int batchesPerEpoch;
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "--init", paramLabel = "FILE", description = "start from this checkpoint (e.g. the authors' model_last.pth) instead of random weights") Path init;
    @Option(names = "--resume", paramLabel = "FILE", description = "continue from a training checkpoint written by this command") Path resume;
    @Option(names = {"-o", "--output-dir"}, defaultValue = "bcae-vs-train", paramLabel = "DIR", description = "where checkpoints go (default ${DEFAULT-VALUE})") Path outDir;
    @Option(names = "--save-every", defaultValue = "50", description = "checkpoint every N steps (default ${DEFAULT-VALUE}); always at the end") int saveEvery;
    @Option(names = "--json", description = "print the final summary as JSON") boolean json;

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || batch < 1 || saveEvery < 1) throw new UserError("--steps, --batch and --save-every must be positive");
        if (crop != null && (crop.length != 3 || crop[0] < 2 || crop[0] > Wedge.AZIMUTH || crop[1] < 2 || crop[1] > Wedge.Z || crop[2] < 2 || crop[2] > Wedge.LAYERS))
            throw new UserError("--crop needs A,Z,L with 2 <= A <= 192, 2 <= Z <= 249, 2 <= L <= 16");
        if (init != null && resume != null) throw new UserError("use either --init or --resume, not both");
        List<Wedge> wedges = new ArrayList<>();
        for (Path p : expand(data)) wedges.addAll(WedgeFiles.read(p));
        if (simulate < 0 || occupancy <= 0 || occupancy >= 0.5) throw new UserError("--simulate must be >= 0 and --occupancy in (0, 0.5)");
        vireo.tpc.Simulator sim = new vireo.tpc.Simulator();
        for (int i = 0; i < simulate; i++) wedges.add(sim.simulate(occupancy, seed * 1000 + i).wedge());
        if (wedges.isEmpty()) throw new UserError("no wedges found in " + data);

        BcaeVsTrainer.Config cfg = BcaeVsTrainer.Config.authors(crop, seed).withBatch(batch, batchesPerEpoch).withLr(lr);
        BcaeVsTrainer tr = resume != null ? BcaeVsTrainer.resume(resume, cfg)
                : new BcaeVsTrainer(init != null ? BcaeVs.load(init) : BcaeVs.initialize(seed), cfg);
        Files.createDirectories(outDir);
        BcaeVsTrainer.StepStats last = null;
        long end = tr.step() + steps;
        try (var bar = Progress.bar("train", steps)) {
            while (tr.step() < end) {
                last = tr.step(wedges);
                bar.step();
                bar.setExtraMessage(String.format(" loss %.4f reg %.4f clf %.4f p̄ %.3f", last.loss(), last.regLoss(), last.clfLoss(), last.meanProb()));
                if (tr.step() % saveEvery == 0 || tr.step() == end) save(tr);
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("wedges", wedges.size());
        r.put("step", last.step());
        r.put("loss", last.loss());
        r.put("reg_loss", last.regLoss());
        r.put("clf_loss", last.clfLoss());
        r.put("coef", last.coef());
        r.put("mean_prob", last.meanProb());
        r.put("keep_soft", last.keepSoft());
        r.put("keep_hard", last.keepHard());
        r.put("lr", last.lr());
        r.put("checkpoint", outDir.resolve("last.safetensors").toString());
        if (json) System.out.println(TpcCommand.JSON.writeValueAsString(r));
        else System.out.printf("step %d: loss %.5f (reg %.5f, clf %.5f, c %.3f), mean keep prob %.4f, keep soft %.4f hard %.4f; checkpoint %s%n",
                last.step(), last.loss(), last.regLoss(), last.clfLoss(), last.coef(), last.meanProb(), last.keepSoft(), last.keepHard(), r.get("checkpoint"));
        return 0;
    }

    private void save(BcaeVsTrainer tr) {
        tr.save(outDir.resolve(String.format("step-%07d.safetensors", tr.step())));
        tr.save(outDir.resolve("last.safetensors"));
    }

    /** Files as given; directories → their *.npy; globs (with * ? [) → matching files in the glob's directory. */
    static List<Path> expand(List<String> args) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String a : args) {
            if (a.matches(".*[*?\\[].*")) {
                Path glob = Path.of(a);
                Path dir = glob.getParent() == null ? Path.of(".") : glob.getParent();
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob.getFileName());
                try (Stream<Path> s = Files.list(dir)) {
                    s.filter(p -> m.matches(p.getFileName())).sorted().forEach(out::add);
                }
                if (out.isEmpty()) throw new UserError(a + ": no files match");
            } else if (Files.isDirectory(Path.of(a))) {
                try (Stream<Path> s = Files.list(Path.of(a))) {
                    s.filter(p -> p.toString().endsWith(".npy")).sorted().forEach(out::add);
                }
            } else out.add(Path.of(a));
        }
        return out;
    }
}
