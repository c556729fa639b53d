package vireo.cli;

import vireo.lm.Models;
import vireo.steer.TextCodec;

import java.nio.file.Path;

/** Opens a model for steering through {@link Models#load} and adapts its tokenizer to {@link TextCodec}. */
final class ModelLoading {
    private ModelLoading() {}

    static SteerCommand.Loaded load(Path model, Path tokenizer) {
        Models.Loaded m = Models.load(model, tokenizer);
        TextCodec codec;
        if (m.tokenizer() != null) codec = TextCodec.of(m.tokenizer());
        else if (m.model().vocabSize() == 256) codec = TextCodec.bytes();
        else {
            m.close();
            throw new UserError(model + ": no tokenizer found beside the model; pass --tokenizer");
        }
        return new SteerCommand.Loaded(m.model(), codec, model.getFileName().toString());
    }
}
