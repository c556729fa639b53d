package vireo.lm.llama;

import org.junit.jupiter.api.Test;
import vireo.SharedData;
import vireo.lm.Generator;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;
import vireo.lm.Models;
import vireo.lm.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** stories260K against llama2.c's own test: greedy from BOS for 200 positions (run.c prints the token sampled at each), byte for byte. */
class Stories260KTest {
    /** llama2.c test_all.py's expected stdout of {@code ./run stories260K.bin -z tok512.bin -t 0.0 -n 200}. */
    static final String EXPECTED = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. "
            + "One day, she saw a big, red ball. She wanted to play with it, but it was too high.\nLily's mom said, \"Lily, let's go to "
            + "the park.\" Lily was sad and didn't know what to do. She said, \"I want to play with your ball, but I can't find it.\"\n"
            + "Lily was sad and didn't know what to do. She said, \"I'm sorry, Lily. I didn't know what to do.\"\nLily didn't want to "
            + "help her mom, so she";

    @Test
    void greedyGenerationMatchesLlama2c() {
        var model = SharedData.require("models/llama2c/stories260K.bin");
        var tok = SharedData.require("models/llama2c/tok512.bin");
        try (Models.Loaded m = Models.load(model, tok)) {
            Tokenizer t = m.tokenizer();
            int[] prompt = t.encode("", true);
            assertArrayEquals(new int[]{1}, prompt);
            var r = Generator.generate(m.model(), t, prompt, Generator.Options.greedy(200), Hooks.NONE, null);
            assertEquals(EXPECTED, r.text());
            assertEquals(200, r.generated().length); // run.c prints the token sampled at every one of the 200 positions
        }
    }

    @Test
    void encodeRoundTripsAndMergesLikeRunC() {
        var model = SharedData.require("models/llama2c/stories260K.bin");
        try (Models.Loaded m = Models.load(model, null)) {
            Tokenizer t = m.tokenizer();
            int[] ids = t.encode("Once upon a time, Lily met a dragon named Zq€.", true);
            assertEquals(1, ids[0]);
            byte[] text = t.decode(ids).getBytes(StandardCharsets.UTF_8);
            assertEquals("Once upon a time, Lily met a dragon named Zq€.", new String(text, StandardCharsets.UTF_8));
            assertNotEquals(ids.length, "Once upon a time, Lily met a dragon named Zq€.".length() + 2, "merges happened");
        }
    }

    @Test
    void kvCacheCopyBranchesIndependently() {
        var model = SharedData.require("models/llama2c/stories260K.bin");
        try (Models.Loaded m = Models.load(model, null)) {
            LanguageModel lm = m.model();
            var s = lm.newState();
            lm.step(s, 1, Hooks.NONE);
            lm.step(s, 400, Hooks.NONE);
            var branch = s.copy();
            float[] a = lm.step(s, 300, Hooks.NONE).clone();
            lm.step(branch, 200, Hooks.NONE);
            var again = lm.newState();
            lm.step(again, 1, Hooks.NONE);
            lm.step(again, 400, Hooks.NONE);
            // equal up to the last bit or so: Math.exp may differ by an ulp between interpreted and JIT-compiled code
            assertArrayEquals(a, lm.step(again, 300, Hooks.NONE).clone(), 1e-5f);
        }
    }
}
