package vireo.cli;

import org.junit.jupiter.api.Test;
import vireo.SharedData;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A prompt longer than the model's context is a one-line user error (exit 2) before any output. */
class LmGenerateCommandTest {
    @Test
    void promptLongerThanTheContextExitsTwoWithNoOutput() {
        String model = SharedData.require("models/llama2c/stories260K.bin").toString();
        String prompt = "Once upon a time there was a cat. ".repeat(200); // far beyond stories260K's 512 positions
        CliRun r = CliRun.run("lm", "generate", "--model", model, "--prompt", prompt, "--max-tokens", "3");
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out(), "no partial output");
        assertTrue(r.err().strip().matches("vireo: --prompt: sequence of \\d+ positions is longer than the model's context of 512"), r.err());
    }
}
