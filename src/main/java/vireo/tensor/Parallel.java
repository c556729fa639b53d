package vireo.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** The thread budget for kernels. Defaults to all cores; {@code VIREO_THREADS} or {@link #setThreads} change it. */
public final class Parallel {
    private static volatile int threads = initialThreads();
    private static volatile ForkJoinPool pool = new ForkJoinPool(threads);

    private Parallel() {}

    private static int initialThreads() {
        String env = System.getenv("VIREO_THREADS");
        if (env != null && !env.isBlank()) {
            try { return Math.max(1, Integer.parseInt(env.trim())); } catch (NumberFormatException ignored) { }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    public static int threads() { return threads; }

    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1");
        if (n == threads) return;
        ForkJoinPool old = pool;
        threads = n;
        pool = new ForkJoinPool(n);
        old.shutdown();
    }

    /** Runs body(i) for i in [0, n), split over the thread budget; inline when one thread, n == 1, or nested. */
    public static void forRange(int n, IntConsumer body) {
        // inline when there is nothing to split, or when already on one of the pool's threads: a nested
        // submit-and-wait would only queue behind the caller's own siblings
        if (threads == 1 || n <= 1 || Thread.currentThread() instanceof java.util.concurrent.ForkJoinWorkerThread w && w.getPool() == pool) {
            for (int i = 0; i < n; i++) body.accept(i);
            return;
        }
        try {
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }
}
