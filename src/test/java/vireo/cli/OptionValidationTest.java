package vireo.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import vireo.SharedData;
import vireo.steer.Positions;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad numeric options are one-line user errors (exit 2) before any work; JSON never carries NaN/∞ as strings. */
class OptionValidationTest {

    @ParameterizedTest
    @CsvSource({
            "--temperature, NaN", "--temperature, -1", "--temperature, Infinity",
            "--top-p, 0", "--top-p, 1.5", "--top-p, NaN",
            "--max-tokens, 0", "--max-tokens, -3"})
    void badGenerateOptionsExitTwoBeforeAnyOutput(String option, String value) {
        String model = SharedData.require("models/llama2c/stories260K.bin").toString();
        CliRun r = CliRun.run("lm", "generate", "--model", model, "--prompt", "Once", option, value);
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out(), "nothing generated");
        String line = r.err().strip();
        assertTrue(line.startsWith("vireo: " + option + ": ") && !line.contains("\n"), line);
    }

    @Test
    void anExistingFolderIsAValidFolderOutput(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // lm train --out DIR names a folder (re-runs and --resume reuse it); -o FILE must still refuse a folder
        String model = SharedData.require("models/llama2c/stories260K.bin").toString();
        java.nio.file.Path data = java.nio.file.Files.writeString(dir.resolve("d.txt"), "Once upon a time there was a cat.\n");
        CliRun r = CliRun.run("lm", "train", "--model", model, "--data", data.toString(), "--out", dir.toString(), "--steps", "0");
        assertTrue(!r.err().contains("is a folder"), r.err());
        CliRun g = CliRun.run("elk", "dataset", "--task", "addition", "-o", dir.toString());
        assertEquals(2, g.code(), g.err());
        assertTrue(g.err().contains("is a folder"), g.err());
    }

    @Test
    void positionRulesRefuseNegativeOrZeroCounts() {
        for (String bad : new String[]{"last:0", "last:-1", "from:-1", "last:x", "from:1.5"})
            assertThrows(IllegalArgumentException.class, () -> Positions.parse(bad), bad);
        Positions.parse("last:1");
        Positions.parse("from:0");
    }

    @Test
    void nonFiniteNumbersAreJsonNull() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("psnr", Double.POSITIVE_INFINITY);
        m.put("nan", Float.NaN);
        m.put("mae", 0.25);
        m.put("neg", Double.NEGATIVE_INFINITY);
        assertEquals("{\"psnr\":null,\"nan\":null,\"mae\":0.25,\"neg\":null}", JsonOutput.mapper().writeValueAsString(m));
    }
}
