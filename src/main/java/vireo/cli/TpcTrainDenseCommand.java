package vireo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vireo.io.SafeTensors;
import vireo.tensor.Tensor;
import vireo.tensor.TensorView;
import vireo.tpc.BcaePlusPlus;
import vireo.tpc.BcaePlusPlusTrainer;
import vireo.tpc.Simulator;
import vireo.tpc.Wedge;
import vireo.tpc.WedgeFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo tpc train-dense}: a short CPU training run of the dense BCAE++ baseline, saved as safetensors. */
@Command(name = "train-dense", mixinStandardHelpOptions = true,
        description = "Train the dense BCAE++ baseline on crops of wedge files (or of simulated wedges) and save safetensors.")
public final class TpcTrainDenseCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "WEDGE.npy", description = "uint16 wedge files (default: simulated wedges)") List<Path> inputs;
    @Option(names = "--simulate", defaultValue = "4", description = "simulated wedges when no files are given (default ${DEFAULT-VALUE})") int simulate;
    @Option(names = "--occupancy", defaultValue = "0.1", description = "occupancy of simulated wedges (default ${DEFAULT-VALUE})") double occupancy;
    @Option(names = "--steps", defaultValue = "100", description = "optimisation steps (default ${DEFAULT-VALUE})") int steps;
    @Option(names = "--batch", defaultValue = "2", description = "crops per step (default ${DEFAULT-VALUE})") int batch;
    @Option(names = "--crop", defaultValue = "64,64", split = ",", paramLabel = "A,Z", description = "crop azimuth,z (multiples of 16; default ${DEFAULT-VALUE})") int[] crop;
    @Option(names = "--lr", defaultValue = "1e-3", description = "AdamW learning rate (default ${DEFAULT-VALUE})") double lr;
    @Option(names = "--seed", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})") long seed;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "output .safetensors") Path output;
    @Option(names = "--json", description = "machine-readable results") boolean json;
    @Option(names = "--resume", paramLabel = "FILE", description = "start from these BCAE++ weights instead of a random init") Path resume;

    @Override
    public Integer call() throws Exception {
        if (crop.length != 2 || crop[0] % 16 != 0 || crop[1] % 16 != 0 || crop[0] < 16 || crop[1] < 16 || crop[0] > 192 || crop[1] > 256)
            throw new UserError("--crop must be two multiples of 16 within 192,256");
        if (steps < 1 || batch < 1) throw new UserError("--steps and --batch must be >= 1");
        List<Tensor> data = new ArrayList<>();
        if (inputs != null && !inputs.isEmpty()) for (Path p : inputs) for (var w : WedgeFiles.read(p)) data.add(BcaePlusPlus.input(w));
        else {
            Simulator sim = new Simulator();
            for (int i = 0; i < simulate; i++) data.add(BcaePlusPlus.input(sim.simulate(occupancy, seed * 1000 + i).wedge()));
        }
        BcaePlusPlusTrainer t = new BcaePlusPlusTrainer(resume != null ? BcaePlusPlus.load(resume) : new BcaePlusPlus(seed), crop[0], crop[1], lr, seed);
        java.util.SplittableRandom pick = new java.util.SplittableRandom(seed ^ 0x9e3779b97f4a7c15L);
        List<BcaePlusPlusTrainer.StepStats> curve = new ArrayList<>();
        try (var bar = Progress.bar("train-dense", steps)) {
            for (int s = 0; s < steps; s++) {
                List<Tensor> b = new ArrayList<>();
                for (int i = 0; i < batch; i++) b.add(data.get(pick.nextInt(data.size())));
                var st = t.step(b);
                curve.add(st);
                bar.step();
                bar.setExtraMessage(String.format(" L1 %.3f focal %.4f", st.regLoss(), st.clfLoss()));
            }
        }
        t.model().save(output, Map.of("steps", Integer.toString(steps),
                "crop", crop[0] + "," + crop[1], "seed", Long.toString(seed)));
        if (json) {
            List<Map<String, Object>> c = new ArrayList<>();
            for (var st : curve) c.add(Map.of("step", st.step(), "l1", st.regLoss(), "focal", st.clfLoss(), "coef", st.coef()));
            System.out.println(TpcCommand.JSON.writeValueAsString(Map.of("output", output.toString(), "curve", c)));
            return 0;
        }
        int every = Math.max(1, steps / 10);
        System.out.printf("%6s %10s %10s %10s%n", "step", "L1", "focal", "coef");
        for (var st : curve)
            if (st.step() % every == 0 || st.step() == 1)
                System.out.printf("%6d %10.4f %10.5f %10.2f%n", st.step(), st.regLoss(), st.clfLoss(), st.coef());
        System.out.println("wrote " + output);
        return 0;
    }
}
