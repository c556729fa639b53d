package vireo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.SharedData;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** lm hooks lists the points; lm activations rejects unknown hook names and over-long prompts with exit 2, writing nothing. */
class LmHooksCommandTest {
    static String[] run(String... args) {
        PrintStream out = System.out, err = System.err;
        var o = new ByteArrayOutputStream();
        var e = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(o, true));
            System.setErr(new PrintStream(e, true));
            code = Main.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new String[]{Integer.toString(code), o.toString(), e.toString()};
    }

    @Test
    void hooksListsResidualPointsWithDModel() {
        String model = SharedData.require("models/llama2c/stories260K.bin").toString();
        String[] r = run("lm", "hooks", "--model", model, "--json");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("\"blocks.0.resid_post\":[64]"), r[1]);
    }

    @Test
    void unknownHookAndLongPromptExitTwoBeforeWork(@TempDir Path dir) throws Exception {
        String model = SharedData.require("models/llama2c/stories260K.bin").toString();
        Path prompts = Files.writeString(dir.resolve("p.txt"), "Once upon a time\n");
        Path out = dir.resolve("a.safetensors");
        String[] r = run("lm", "activations", "--model", model, "--prompts", prompts.toString(), "--hook", "blocks.9.resid_post", "-o", out.toString());
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].strip().startsWith("vireo: --hook: no hook point 'blocks.9.resid_post'; valid: blocks.{0..4}."), r[2]);
        assertFalse(Files.exists(out));
        Files.writeString(prompts, "Once upon a time there was a cat. ".repeat(200) + "\n");
        r = run("lm", "activations", "--model", model, "--prompts", prompts.toString(), "--hook", "blocks.3.hook_resid_post", "-o", out.toString());
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("longer than the model's context of 512"), r[2]);
        assertFalse(Files.exists(out));
    }
}
