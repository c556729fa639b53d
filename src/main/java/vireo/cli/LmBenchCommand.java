package vireo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;
import vireo.lm.Models;
import vireo.lm.Sampler;
import vireo.tensor.Parallel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;

/** {@code vireo lm bench}: prompt and generation throughput, load time and peak memory of a model. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure model load time, prompt and generation tokens/s and peak memory (best of several runs).")
public final class LmBenchCommand implements Callable<Integer> {
    /** llama2.c's run.c (gcc -O3, one thread) on stories260K on this machine kind, as quoted in the project's issue. */
    static final double RUN_C_STORIES260K = 7000;

    @Option(names = "--model", paramLabel = "PATH", description = "Model file (llama2.c or rwkv.cpp .bin) or Hugging Face model folder (Llama, Mamba, RWKV v5).")
    Path model;

    @Option(names = "--synthetic-7b", paramLabel = "DIR",
            description = "Instead of --model: write (once) an all-zero Llama-2-7B-shaped bf16 checkpoint into DIR as a "
                    + "sparse file and time loading it by memory map and its first tokens.")
    Path synthetic7b;

    @Option(names = "--tokens", defaultValue = "256", description = "Tokens per run (default ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs after one warm-up (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--threads", description = "Kernel threads (default: all cores).")
    Integer threads;

    @Option(names = "--json", description = "Print results as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (tokens < 2 || runs < 1) throw new UserError("--tokens must be >= 2 and --runs >= 1");
        if (threads != null) Parallel.setThreads(threads);
        if ((model == null) == (synthetic7b == null)) throw new UserError("give exactly one of --model PATH or --synthetic-7b DIR");
        if (synthetic7b != null) return synthetic(synthetic7b);
        long t0 = System.nanoTime();
        try (Models.Loaded m = Models.load(model, null)) {
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            LanguageModel lm = m.model();
            int n = Math.min(tokens, lm.maxSeqLen());
            double bestPrompt = 0, bestGen = 0;
            for (int r = 0; r <= runs; r++) {
                // prompt pass: n fixed tokens; generation: greedy continuation from BOS-like token 1
                int[] prompt = new int[n];
                for (int i = 0; i < n; i++) prompt[i] = 1 + (i * 7919) % (lm.vocabSize() - 1);
                var s = lm.newState();
                long a = System.nanoTime();
                for (int t : prompt) lm.step(s, t, Hooks.NONE);
                long b = System.nanoTime();
                var g = lm.newState();
                int tok = 1;
                long c = System.nanoTime();
                for (int i = 0; i < n; i++) tok = Sampler.argmax(lm.step(g, tok, Hooks.NONE));
                long d = System.nanoTime();
                if (r == 0) continue; // warm-up
                bestPrompt = Math.max(bestPrompt, n / ((b - a) / 1e9));
                bestGen = Math.max(bestGen, n / ((d - c) / 1e9));
            }
            long peakKb = peakRssKb();
            var res = new LinkedHashMap<String, Object>();
            res.put("model", model.toString());
            res.put("family", lm.family());
            res.put("layers", lm.numLayers());
            res.put("d_model", lm.dModel());
            res.put("threads", Parallel.threads());
            res.put("load_seconds", loadSeconds);
            res.put("tokens_per_run", n);
            res.put("prompt_tokens_per_second", bestPrompt);
            res.put("generation_tokens_per_second", bestGen);
            res.put("peak_rss_mib", peakKb / 1024.0);
            boolean stories = model.getFileName().toString().equals("stories260K.bin");
            if (stories) {
                res.put("baseline", "llama2.c run.c, gcc -O3, 1 thread, quoted for this machine kind (not run here)");
                res.put("baseline_tokens_per_second", RUN_C_STORIES260K);
                res.put("generation_vs_baseline", bestGen / RUN_C_STORIES260K);
            }
            if (json) {
                System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(res));
            } else {
                System.out.printf("%s (%s, %d layers, d_model %d), %d thread(s)%n", res.get("model"), lm.family(), lm.numLayers(), lm.dModel(), Parallel.threads());
                System.out.printf("load            %.3f s (memory-mapped)%n", loadSeconds);
                System.out.printf("prompt          %,.0f tokens/s%n", bestPrompt);
                System.out.printf("generation      %,.0f tokens/s   (best of %d runs of %d tokens)%n", bestGen, runs, n);
                System.out.printf("peak RSS        %.1f MiB%n", peakKb / 1024.0);
                if (stories) System.out.printf("baseline        %,.0f tokens/s llama2.c run.c -O3 1 thread (quoted, not run here) → ×%.2f%n",
                        RUN_C_STORIES260K, bestGen / RUN_C_STORIES260K);
            }
        }
        return 0;
    }

    private int synthetic(Path dir) throws Exception {
        int[] s = vireo.lm.llama.SyntheticLlama.LLAMA2_7B;
        long bytes = vireo.lm.llama.SyntheticLlama.write(dir, s[0], s[1], s[2], s[3], s[4], s[5]);
        long t0 = System.nanoTime();
        try (Models.Loaded m = Models.load(dir, null)) {
            double load = (System.nanoTime() - t0) / 1e9;
            LanguageModel lm = m.model();
            var st = lm.newState();
            long a = System.nanoTime();
            lm.step(st, 1, Hooks.NONE);
            double first = (System.nanoTime() - a) / 1e9;
            long b = System.nanoTime();
            int n = 3;
            for (int i = 0; i < n; i++) lm.step(st, 2 + i, Hooks.NONE);
            double per = (System.nanoTime() - b) / 1e9 / n;
            var res = new LinkedHashMap<String, Object>();
            res.put("checkpoint", dir.resolve("model.safetensors").toString());
            res.put("checkpoint_gib", bytes / (double) (1L << 30));
            res.put("parameters", (bytes - 1) / 2);
            res.put("load_seconds", load);
            res.put("first_token_seconds", first);
            res.put("next_token_seconds", per);
            res.put("peak_rss_mib", peakRssKb() / 1024.0);
            res.put("threads", Parallel.threads());
            if (json) System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(res));
            else {
                System.out.printf("synthetic Llama-2-7B shape, bf16, %.2f GiB (sparse all-zero file) in %s%n", bytes / (double) (1L << 30), dir);
                System.out.printf("load (memory map)   %.3f s%n", load);
                System.out.printf("first token         %.2f s (pages the weights in)%n", first);
                System.out.printf("next tokens         %.2f s each, %d thread(s)%n", per, Parallel.threads());
                System.out.printf("peak RSS            %.0f MiB%n", peakRssKb() / 1024.0);
            }
        }
        return 0;
    }

    /** VmHWM from /proc/self/status (Linux), or -1. */
    static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        } catch (Exception ignored) {
            // not Linux
        }
        return -1;
    }
}
