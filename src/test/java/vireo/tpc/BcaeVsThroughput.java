package vireo.tpc;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Warm per-wedge timings of the BCAE-VS encoder (sparse tensor + kernel maps + 5 layers + gate + fp16) and of the two
 * decoders, on one wedge file. A harness, not a test:
 * <pre>
 * mvn -q -o package -DskipTests && mvn -q -o test-compile
 * java --add-modules=jdk.incubator.vector -cp target/vireo.jar:target/test-classes vireo.tpc.BcaeVsThroughput \
 *      ../shared/models/bcae-vs/model_last.pth ../shared/data/tpc/auau_sample.npy
 * </pre>
 */
public final class BcaeVsThroughput {
    public static void main(String[] args) {
        BcaeVs model = BcaeVs.load(Path.of(args[0]));
        Wedge w = WedgeFiles.read(Path.of(args[1])).getFirst();
        int encReps = 20, decReps = 5;
        double[] enc = new double[encReps], dec = new double[decReps];
        KeptVoxels code = null;
        for (int warm = 0; warm < 5; warm++) code = model.compress(w, new Gate.Random(0));
        model.decompress(code);
        for (int i = 0; i < encReps; i++) {
            long t0 = System.nanoTime();
            code = model.compress(w, new Gate.Random(i));
            enc[i] = (System.nanoTime() - t0) / 1e6;
        }
        for (int i = 0; i < decReps; i++) {
            long t0 = System.nanoTime();
            model.decompress(code);
            dec[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(enc);
        Arrays.sort(dec);
        System.out.printf("threads %d, occupancy %.4f: encoder median %.1f ms (min %.1f) per wedge; decoders median %.0f ms (min %.0f) per wedge%n",
                vireo.tensor.Parallel.threads(), w.occupancy(), enc[encReps / 2], enc[0], dec[decReps / 2], dec[0]);
    }
}
