package vireo.cli;

import org.junit.jupiter.api.Test;
import vireo.SharedData;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A prompt longer than the model's context is a one-line user error (exit 2) before any output. */
class LmGenerateCommandTest {
    @Test
    void promptLongerThanTheContextExitsTwoWithNoOutput() {
        String model = SharedData.require("models/llama2c/stories260K.bin").toString();
        String prompt = "Once upon a time there was a cat. ".repeat(200); // far beyond stories260K's 512 positions
        PrintStream out = System.out, err = System.err;
        var o = new ByteArrayOutputStream();
        var e = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(o, true));
            System.setErr(new PrintStream(e, true));
            code = Main.run("lm", "generate", "--model", model, "--prompt", prompt, "--max-tokens", "3");
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertEquals(2, code, e.toString());
        assertEquals("", o.toString(), "no partial output");
        assertTrue(e.toString().strip().matches("vireo: --prompt: sequence of \\d+ positions is longer than the model's context of 512"), e.toString());
    }
}
