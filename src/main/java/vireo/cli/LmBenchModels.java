package vireo.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Random-weight checkpoints and the machine's memory bandwidth, for {@code vireo lm bench}: the bench writes the
 * models it compares against peers (llama2.c's run.c reads the same file), and measures the bandwidth limit decode
 * is judged against in the same run.
 */
final class LmBenchModels {
    private LmBenchModels() {}

    /** llama2.c stories110M's shape: dim 768, hidden 2048, 12 layers, 12 heads, 12 kv heads, vocab 32000, seq 1024. */
    static final int[] STORIES_110M = {768, 2048, 12, 12, 12, 32000, 1024};

    /**
     * Writes a llama2.c-format checkpoint (version 0: header of 7 int32, then f32 weights, shared classifier) with
     * seeded uniform weights of scale 0.02 (norm weights 1), unless a file of the right size is already there.
     */
    static Path llama2c(Path file, int[] shape, long seed) throws IOException {
        int dim = shape[0], hidden = shape[1], layers = shape[2], heads = shape[3], kv = shape[4], vocab = shape[5], seq = shape[6];
        int hs = dim / heads, kvDim = hs * kv;
        long[] counts = {(long) vocab * dim, (long) layers * dim, (long) layers * dim * dim, (long) layers * dim * kvDim,
                (long) layers * dim * kvDim, (long) layers * dim * dim, (long) layers * dim, (long) layers * hidden * dim,
                (long) layers * dim * hidden, (long) layers * hidden * dim, dim, (long) seq * hs / 2, (long) seq * hs / 2};
        boolean[] ones = {false, true, false, false, false, false, true, false, false, false, true, false, false};
        long total = 28;
        for (long c : counts) total += c * 4;
        if (Files.exists(file) && Files.size(file) == total) return file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        long state = seed * 0x9E3779B97F4A7C15L + 1;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (int v : shape) b.putInt(v);
            for (int t = 0; t < counts.length; t++) {
                for (long i = 0; i < counts[t]; i++) {
                    if (!b.hasRemaining()) { b.flip(); while (b.hasRemaining()) ch.write(b); b.clear(); }
                    float v;
                    if (ones[t]) v = 1f;
                    else {
                        state ^= state << 13; state ^= state >>> 7; state ^= state << 17;
                        v = ((state >>> 40) / (float) (1 << 24) - 0.5f) * 0.04f;
                    }
                    b.putFloat(v);
                }
            }
            b.flip();
            while (b.hasRemaining()) ch.write(b);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** ~100M-parameter shapes for the recurrent families: RWKV v5 (d 768, 12 layers, 12 heads, FFN 2688) and Mamba (d 768, 24 layers). */
    static final int VOCAB_100M = 32000;

    /** Writes (once) a Hugging Face RWKV v5 folder of about 141M parameters with seeded random f32 weights. */
    static Path rwkv5(Path dir, long seed) throws IOException {
        int c = 768, layers = 12, heads = 12, ffn = 2688, v = VOCAB_100M;
        var t = new java.util.LinkedHashMap<String, int[]>();
        var ones = new java.util.HashSet<String>();
        t.put("rwkv.embeddings.weight", new int[]{v, c});
        for (int l = 0; l < layers; l++) {
            String b = "rwkv.blocks." + l + ".";
            if (l == 0) { t.put(b + "pre_ln.weight", new int[]{c}); ones.add(b + "pre_ln.weight"); t.put(b + "pre_ln.bias", new int[]{c}); }
            for (String n : new String[]{"ln1", "ln2"}) { t.put(b + n + ".weight", new int[]{c}); ones.add(b + n + ".weight"); t.put(b + n + ".bias", new int[]{c}); }
            for (String n : new String[]{"time_mix_key", "time_mix_value", "time_mix_receptance", "time_mix_gate"}) t.put(b + "attention." + n, new int[]{c});
            t.put(b + "attention.time_decay", new int[]{heads, c / heads});
            t.put(b + "attention.time_faaaa", new int[]{heads, c / heads});
            t.put(b + "attention.ln_x.weight", new int[]{c}); ones.add(b + "attention.ln_x.weight");
            t.put(b + "attention.ln_x.bias", new int[]{c});
            for (String n : new String[]{"receptance", "key", "value", "gate", "output"}) t.put(b + "attention." + n + ".weight", new int[]{c, c});
            t.put(b + "feed_forward.time_mix_key", new int[]{c});
            t.put(b + "feed_forward.time_mix_receptance", new int[]{c});
            t.put(b + "feed_forward.key.weight", new int[]{ffn, c});
            t.put(b + "feed_forward.value.weight", new int[]{c, ffn});
            t.put(b + "feed_forward.receptance.weight", new int[]{c, c});
        }
        t.put("rwkv.ln_out.weight", new int[]{c}); ones.add("rwkv.ln_out.weight");
        t.put("rwkv.ln_out.bias", new int[]{c});
        t.put("head.weight", new int[]{v, c});
        return hfFolder(dir, "{\"model_type\": \"rwkv5\", \"group_norm_epsilon\": 1e-5}", t, ones, seed);
    }

    /** Writes (once) a Hugging Face Mamba folder of about 115M parameters (tied head) with seeded random f32 weights. */
    static Path mamba(Path dir, long seed) throws IOException {
        int d = 768, layers = 24, di = 1536, ns = 16, k = 4, r = 48, v = VOCAB_100M;
        var t = new java.util.LinkedHashMap<String, int[]>();
        var ones = new java.util.HashSet<String>();
        t.put("backbone.embeddings.weight", new int[]{v, d});
        for (int l = 0; l < layers; l++) {
            String p = "backbone.layers." + l + ".";
            t.put(p + "norm.weight", new int[]{d}); ones.add(p + "norm.weight");
            t.put(p + "mixer.in_proj.weight", new int[]{2 * di, d});
            t.put(p + "mixer.conv1d.weight", new int[]{di, 1, k});
            t.put(p + "mixer.conv1d.bias", new int[]{di});
            t.put(p + "mixer.x_proj.weight", new int[]{r + 2 * ns, di});
            t.put(p + "mixer.dt_proj.weight", new int[]{di, r});
            t.put(p + "mixer.dt_proj.bias", new int[]{di});
            t.put(p + "mixer.A_log", new int[]{di, ns});
            t.put(p + "mixer.D", new int[]{di}); ones.add(p + "mixer.D");
            t.put(p + "mixer.out_proj.weight", new int[]{d, di});
        }
        t.put("backbone.norm_f.weight", new int[]{d}); ones.add("backbone.norm_f.weight");
        String cfg = "{\"model_type\": \"mamba\", \"hidden_size\": " + d + ", \"intermediate_size\": " + di + ", \"state_size\": " + ns
                + ", \"conv_kernel\": " + k + ", \"time_step_rank\": " + r + ", \"num_hidden_layers\": " + layers + ", \"vocab_size\": " + v
                + ", \"layer_norm_epsilon\": 1e-5, \"use_conv_bias\": true, \"use_bias\": false, \"tie_word_embeddings\": true}";
        return hfFolder(dir, cfg, t, ones, seed);
    }

    /** config.json + model.safetensors (f32, uniform ±0.02, or 1 for names in ones), skipped when already written. */
    private static Path hfFolder(Path dir, String config, java.util.Map<String, int[]> tensors, java.util.Set<String> ones, long seed) throws IOException {
        Path file = dir.resolve("model.safetensors");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var header = json.createObjectNode();
        long off = 0;
        for (var e : tensors.entrySet()) {
            long n = 1;
            for (int x : e.getValue()) n *= x;
            var o = header.putObject(e.getKey());
            o.put("dtype", "F32");
            var sh = o.putArray("shape");
            for (int x : e.getValue()) sh.add(x);
            o.putArray("data_offsets").add(off).add(off + 4 * n);
            off += 4 * n;
        }
        byte[] h = json.writeValueAsBytes(header);
        int padded = (h.length + 7) / 8 * 8;
        long total = 8 + padded + off;
        if (Files.exists(file) && Files.size(file) == total && Files.exists(dir.resolve("config.json"))) return dir;
        Files.createDirectories(dir);
        Path tmp = dir.resolve("model.safetensors.tmp");
        long state = seed * 0x9E3779B97F4A7C15L + 1;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(padded);
            b.put(h);
            for (int i = h.length; i < padded; i++) b.put((byte) ' ');
            for (var e : tensors.entrySet()) {
                long n = 1;
                for (int x : e.getValue()) n *= x;
                boolean one = ones.contains(e.getKey());
                for (long i = 0; i < n; i++) {
                    if (!b.hasRemaining()) { b.flip(); while (b.hasRemaining()) ch.write(b); b.clear(); }
                    state ^= state << 13; state ^= state >>> 7; state ^= state << 17;
                    b.putFloat(one ? 1f : ((state >>> 40) / (float) (1 << 24) - 0.5f) * 0.04f);
                }
            }
            b.flip();
            while (b.hasRemaining()) ch.write(b);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(dir.resolve("config.json"), config);
        return dir;
    }

    /**
     * Read bandwidth of this machine in GB/s: the best of a few sweeps over 256 MiB (far beyond any cache) with
     * the same vector loads and independent FMA chains the decode kernels use, on {@code threads} threads.
     */
    static double readBandwidth(int threads) {
        int n = 1 << 26; // 64 Mi floats = 256 MiB
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        var F = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        double best = 0;
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int rep = 0; rep < 6; rep++) {
                long t0 = System.nanoTime();
                var fs = new java.util.ArrayList<java.util.concurrent.Future<Float>>();
                int per = n / threads;
                for (int t = 0; t < threads; t++) {
                    int lo = t * per, hi = lo + per;
                    fs.add(ex.submit(() -> {
                        float acc = 0;
                        for (int i = lo; i < hi; i += CHUNK) acc += sumChunk(a, i, Math.min(hi, i + CHUNK));
                        return acc;
                    }));
                }
                float sink = 0;
                for (var f : fs) sink += f.get();
                long t1 = System.nanoTime();
                if (sink != (float) sink) throw new AssertionError();
                if (rep > 0) best = Math.max(best, (double) n * 4 / (t1 - t0)); // bytes per ns = GB/s
            }
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            ex.shutdown();
        }
        return best;
    }

    /** Chunks small enough that the summing loop is called often, so it is compiled (not interpreted) early on. */
    private static final int CHUNK = 1 << 16;

    private static float sumChunk(float[] a, int lo, int hi) {
        var F = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        var z = jdk.incubator.vector.FloatVector.zero(F);
        var s0 = z; var s1 = z; var s2 = z; var s3 = z;
        int L = F.length(), i = lo;
        for (; i + 4 * L <= hi; i += 4 * L) {
            s0 = s0.add(jdk.incubator.vector.FloatVector.fromArray(F, a, i));
            s1 = s1.add(jdk.incubator.vector.FloatVector.fromArray(F, a, i + L));
            s2 = s2.add(jdk.incubator.vector.FloatVector.fromArray(F, a, i + 2 * L));
            s3 = s3.add(jdk.incubator.vector.FloatVector.fromArray(F, a, i + 3 * L));
        }
        float s = s0.add(s1).add(s2).add(s3).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; i < hi; i++) s += a[i];
        return s;
    }
}
