package vireo.cli;

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
    @Option(names = "--model", paramLabel = "PATH", description = "Model file (llama2.c or rwkv.cpp .bin) or Hugging Face model folder (Llama, Mamba, RWKV v5).")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "PATH", description = "Tokenizer file, when it is not found beside the model (only checked: the bench feeds token ids).")
    Path tokenizer;

    @Option(names = "--synthetic-7b", paramLabel = "DIR",
            description = "Instead of --model: write (once) an all-zero Llama-2-7B-shaped bf16 checkpoint into DIR as a "
                    + "sparse file and time loading it by memory map and its first tokens.")
    Path synthetic7b;

    @Option(names = "--synthetic-110m", paramLabel = "FILE",
            description = "Instead of --model: write (once, seeded) a llama2.c-format f32 checkpoint of stories110M's shape "
                    + "(dim 768, 12 layers, 12 heads, hidden 2048, vocab 32000, seq 1024) with random weights to FILE and bench it "
                    + "(the same file runs in llama2.c's run.c for a side-by-side comparison).")
    Path synthetic110m;

    @Option(names = "--synthetic", paramLabel = "FAMILY=PATH",
            description = "Instead of --model: write (once, seeded) a random-weight model of about 100M parameters and bench it: "
                    + "llama=FILE (llama2.c format, stories110M's shape), rwkv5=DIR or mamba=DIR (Hugging Face folders).")
    String synthetic;

    @Option(names = "--tokens", defaultValue = "256", description = "Decode tokens per run (default ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--prompt-tokens", defaultValue = "512", description = "Prompt length for the prefill measurement (default ${DEFAULT-VALUE}; capped at the context).")
    int promptTokens;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs after one warm-up (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--threads", description = "Kernel threads (default: all cores).")
    Integer threads;

    @Option(names = "--no-per-token", description = "Skip the per-token prefill baseline (slow on large models).")
    boolean noPerToken;

    @Option(names = "--json", description = "Print results as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (tokens < 2 || runs < 1 || promptTokens < 1) throw new UserError("--tokens must be >= 2, --prompt-tokens >= 1 and --runs >= 1");
        if (threads != null) Parallel.setThreads(threads);
        int given = (model == null ? 0 : 1) + (synthetic7b == null ? 0 : 1) + (synthetic110m == null ? 0 : 1) + (synthetic == null ? 0 : 1);
        if (given != 1) throw new UserError("give exactly one of --model PATH, --synthetic FAMILY=PATH, --synthetic-7b DIR or --synthetic-110m FILE");
        if (synthetic != null) {
            int eq = synthetic.indexOf('=');
            String fam = eq < 0 ? "" : synthetic.substring(0, eq);
            Path where = eq < 0 ? null : Path.of(synthetic.substring(eq + 1));
            switch (fam) {
                case "llama" -> synthetic110m = where;
                case "rwkv5" -> model = LmBenchModels.rwkv5(where, 1);
                case "mamba" -> model = LmBenchModels.mamba(where, 1);
                default -> throw new UserError("--synthetic: expected llama=FILE, rwkv5=DIR or mamba=DIR, got '" + synthetic + "'");
            }
        }
        if (tokenizer != null && !Files.isReadable(tokenizer)) throw new UserError(tokenizer + ": no such file");
        if (synthetic7b != null) return synthetic(synthetic7b);
        Path path = model != null ? model : LmBenchModels.llama2c(synthetic110m, LmBenchModels.STORIES_110M, 1);
        long t0 = System.nanoTime();
        try (Models.Loaded m = Models.load(path, tokenizer)) {
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            LanguageModel lm = m.model();
            int n = Math.min(tokens, lm.maxSeqLen()), np = Math.min(promptTokens, lm.maxSeqLen());
            int[] prompt = new int[np];
            for (int i = 0; i < np; i++) prompt[i] = 1 + (i * 7919) % (lm.vocabSize() - 1);
            double bestBlock = 0, bestPerToken = 0, bestGen = 0;
            for (int r = 0; r <= runs; r++) {
                // prefill: the block forward, then (side by side) the per-token path over the same prompt
                long a = System.nanoTime();
                lm.forward(lm.newState(), prompt, Hooks.NONE);
                long b = System.nanoTime();
                long c = b, d = b;
                if (!noPerToken) {
                    var s = lm.newState();
                    c = System.nanoTime();
                    for (int t : prompt) lm.step(s, t, Hooks.NONE);
                    d = System.nanoTime();
                }
                // decode: greedy continuation from token 1
                var g = lm.newState();
                int tok = 1;
                long e = System.nanoTime();
                for (int i = 0; i < n; i++) tok = Sampler.argmax(lm.step(g, tok, Hooks.NONE));
                long f = System.nanoTime();
                if (r == 0) continue; // warm-up
                bestBlock = Math.max(bestBlock, np / ((b - a) / 1e9));
                if (!noPerToken) bestPerToken = Math.max(bestPerToken, np / ((d - c) / 1e9));
                bestGen = Math.max(bestGen, n / ((f - e) / 1e9));
            }
            long weightBytes = sizeOf(path);
            double bandwidth = LmBenchModels.readBandwidth(Parallel.threads());
            double decodeGBs = bestGen * weightBytes / 1e9;
            long peakKb = peakRssKb();
            var res = new LinkedHashMap<String, Object>();
            res.put("model", path.toString());
            res.put("family", lm.family());
            res.put("layers", lm.numLayers());
            res.put("d_model", lm.dModel());
            res.put("threads", Parallel.threads());
            res.put("load_seconds", loadSeconds);
            res.put("prompt_tokens", np);
            res.put("prefill_tokens_per_second", bestBlock);
            if (!noPerToken) {
                res.put("prefill_per_token_path_tokens_per_second", bestPerToken);
                res.put("prefill_speedup", bestBlock / bestPerToken);
            }
            res.put("decode_tokens", n);
            res.put("decode_tokens_per_second", bestGen);
            res.put("weight_bytes", weightBytes);
            res.put("decode_weight_stream_gb_per_second", decodeGBs);
            res.put("memory_read_bandwidth_gb_per_second", bandwidth);
            res.put("decode_fraction_of_bandwidth", decodeGBs / bandwidth);
            res.put("peak_rss_mib", peakKb / 1024.0);
            if (json) {
                System.out.println(JsonOutput.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(res));
            } else {
                System.out.printf("%s (%s, %d layers, d_model %d), %d thread(s)%n", path, lm.family(), lm.numLayers(), lm.dModel(), Parallel.threads());
                System.out.printf("load            %.3f s (memory-mapped)%n", loadSeconds);
                System.out.printf("prefill         %,.0f tokens/s   (block forward, %d-token prompt)%n", bestBlock, np);
                if (!noPerToken) System.out.printf("prefill/token   %,.0f tokens/s   (per-token path, same prompt) -> block is x%.1f%n", bestPerToken, bestBlock / bestPerToken);
                System.out.printf("decode          %,.0f tokens/s   (best of %d runs of %d tokens)%n", bestGen, runs, n);
                System.out.printf("bandwidth       decode streams %.1f GB/s of weights (%.0f MB/token); this machine reads %.1f GB/s on %d thread(s) -> %.0f %%%n",
                        decodeGBs, weightBytes / 1e6, bandwidth, Parallel.threads(), 100 * decodeGBs / bandwidth);
                System.out.printf("peak RSS        %.1f MiB%n", peakKb / 1024.0);
            }
        }
        return 0;
    }

    /** Bytes of the checkpoint (a file, or every file of a folder): what one decode step streams, to within the embedding table. */
    static long sizeOf(Path p) throws java.io.IOException {
        if (!Files.isDirectory(p)) return Files.size(p);
        try (var s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".safetensors") || f.toString().endsWith(".bin"))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
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
            if (json) System.out.println(JsonOutput.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(res));
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
