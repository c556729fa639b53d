package vireo.tpc;

import vireo.io.InvalidFileException;
import vireo.io.SafeTensors;
import vireo.io.TensorFile;
import vireo.io.TorchCheckpoint;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a BCAE-VS checkpoint by its format: safetensors (Vireo's training checkpoints) or a PyTorch .pth. */
final class CheckpointFiles {
    private CheckpointFiles() {}

    static TensorFile open(Path p) {
        if (!Files.isRegularFile(p)) throw new InvalidFileException(p, "no such checkpoint file");
        if (p.getFileName().toString().endsWith(".safetensors")) return SafeTensors.read(p);
        return TorchCheckpoint.read(p);
    }
}
