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
