package vireo.tensor;

import java.util.SplittableRandom;

/**
 * Not a test: prints conv3d throughput for a BCAE-VS decoder layer (N=1, C=16→16, 3³ kernel, padding 1, on the
 * 192×249×16 grid). Run after test-compile:
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes vireo.tensor.ConvThroughput [reps]
 */
public final class ConvThroughput {
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        SplittableRandom rng = new SplittableRandom(1);
        Tensor x = Tensor.zeros(1, 16, 192, 249, 16), w = Tensor.zeros(16, 16, 3, 3, 3), b = Tensor.zeros(16);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) rng.nextDouble();
        for (int i = 0; i < w.size(); i++) w.data[i] = (float) (rng.nextDouble() - 0.5);
        double flop = 2.0 * 16 * 16 * 27 * 192 * 249 * 16;
        System.out.printf("threads %d, %.2f GFLOP per forward%n", Parallel.threads(), flop / 1e9);
        Tensor.noGrad(() -> Conv.conv3d(x, w, b, 1, 1, 1));
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            Tensor.noGrad(() -> Conv.conv3d(x, w, b, 1, 1, 1));
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("forward %.3f s  %.2f GFLOP/s%n", s, flop / s / 1e9);
        }
        Tensor rm = Tensor.zeros(16), rv = Tensor.full(1f, 16), gamma = Tensor.full(1f, 16), beta = Tensor.zeros(16);
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            Tensor padded = Tensor.noGrad(() -> Conv.reflectionPad3d(x, 1));
            long t1 = System.nanoTime();
            Tensor conv = Tensor.noGrad(() -> Conv.conv3d(padded, w, b, 1, 0, 1));
            long t2 = System.nanoTime();
            Tensor norm = Tensor.noGrad(() -> Norms.batchNorm(conv, gamma, beta, rm, rv, false));
            long t3 = System.nanoTime();
            Tensor.noGrad(() -> Activations.leakyRelu(norm, 0.1f));
            long t4 = System.nanoTime();
            double s = (t4 - t0) / 1e9;
            System.out.printf("decoder block %.3f s (pad %.0f ms, conv %.0f ms, batchnorm %.0f ms, leaky relu %.0f ms)  %.2f GFLOP/s%n",
                    s, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6, flop / s / 1e9);
        }
        x.requiresGrad(true);
        w.requiresGrad(true);
        b.requiresGrad(true);
        for (int r = 0; r < Math.min(reps, 2); r++) {
            Tensor y = Conv.conv3d(x, w, b, 1, 1, 1);
            float[] seed = new float[y.size()];
            java.util.Arrays.fill(seed, 1e-3f);
            // backward of the conv alone, seeded directly (a scalar node that hands out the seed)
            Tensor loss = Tensor.record(Tensor.scalar(0f), "seed", () -> y.accumulate(seed), y);
            long t0 = System.nanoTime();
            loss.backward();
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("backward (input, weight, bias) %.3f s  %.2f GFLOP/s (2x forward flops)%n", s, 2 * flop / s / 1e9);
        }
    }
}
