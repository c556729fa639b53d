package vireo.tpc;

import vireo.io.InvalidFileException;
import vireo.tensor.TensorView;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Opens a BCAE-VS checkpoint file by its format. */
final class CheckpointFiles {
    private CheckpointFiles() {}

    static Map<String, TensorView> read(Path p) {
        if (!Files.isRegularFile(p)) throw new InvalidFileException(p, "no such checkpoint file");
        String name = p.getFileName().toString();
        if (name.endsWith(".safetensors")) return StandInFormats.readSafetensors(p);
        return StandInTorchCheckpoint.read(p);
    }
}
