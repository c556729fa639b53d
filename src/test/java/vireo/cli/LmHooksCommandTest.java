package vireo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.SharedData;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** lm hooks lists the points; lm activations rejects unknown hook names and over-long prompts with exit 2, writing nothing. */
class LmHooksCommandTest {
    @Test
    void hooksListsResidualPointsWithDModel() {
        String model = SharedData.require("models/llama2c/stories260K.bin").toString();
        CliRun r = CliRun.run("lm", "hooks", "--model", model, "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"blocks.0.resid_post\":[64]"), r.out());
    }

    @Test
    void unknownHookAndLongPromptExitTwoBeforeWork(@TempDir Path dir) throws Exception {
        String model = SharedData.require("models/llama2c/stories260K.bin").toString();
        Path prompts = Files.writeString(dir.resolve("p.txt"), "Once upon a time\n");
        Path out = dir.resolve("a.safetensors");
        CliRun r = CliRun.run("lm", "activations", "--model", model, "--prompts", prompts.toString(), "--hook", "blocks.9.resid_post", "-o", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().strip().startsWith("vireo: --hook: no hook point 'blocks.9.resid_post'; valid: blocks.{0..4}."), r.err());
        assertFalse(Files.exists(out));
        Files.writeString(prompts, "Once upon a time there was a cat. ".repeat(200) + "\n");
        r = CliRun.run("lm", "activations", "--model", model, "--prompts", prompts.toString(), "--hook", "blocks.3.hook_resid_post", "-o", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("longer than the model's context of 512"), r.err());
        assertFalse(Files.exists(out));
    }
}
