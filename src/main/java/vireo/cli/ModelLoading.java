package vireo.cli;

import java.nio.file.Path;

/** Stand-in until vireo.lm.Models (the Llama helper's loader) is merged: then this calls it directly. */
final class ModelLoading {
    private ModelLoading() {}

    static SteerCommand.Loaded load(Path model, Path tokenizer) {
        throw new UserError("loading " + model + " needs vireo.lm.Models, which this build does not have yet");
    }
}
