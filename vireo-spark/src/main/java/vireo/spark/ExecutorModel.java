package vireo.spark;

import org.apache.spark.broadcast.Broadcast;
import vireo.tpc.BcaeVs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The BCAE-VS model of this executor JVM: built once from the broadcast checkpoint bytes on first use (staged in a temporary file of the original suffix, which tells .pth from
 * .safetensors), then shared by
 * every task of the executor (the model is read-only during compress and decompress).
 */
final class ExecutorModel {
    private ExecutorModel() {}

    private static long broadcastId = -1;
    private static BcaeVs model;
    /** How many times this JVM built a model; tests check it is once per broadcast. */
    static int builds;

    static synchronized BcaeVs get(Broadcast<byte[]> checkpoint, String suffix) {
        if (model == null || broadcastId != checkpoint.id()) {
            try {
                Path tmp = Files.createTempFile("vireo-bcae-vs-", suffix);
                try {
                    Files.write(tmp, checkpoint.value());
                    model = BcaeVs.load(tmp);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            broadcastId = checkpoint.id();
            builds++;
        }
        return model;
    }
}
