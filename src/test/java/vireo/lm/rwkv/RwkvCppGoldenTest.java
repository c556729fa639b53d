package vireo.lm.rwkv;

import org.junit.jupiter.api.Test;
import vireo.SharedData;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tiny RWKV v5.2 of rwkv.cpp's test suite against the logits its authors expect after the bytes {@code "in}. */
class RwkvCppGoldenTest {
    @Test
    void logitsAfterQuoteInMatchRwkvCpp() throws Exception {
        var model = SharedData.require("models/rwkv/tiny-rwkv-5v2-730K-FP32.bin");
        var expectedFile = SharedData.require("models/rwkv/expected-logits-5v2-730K.bin");
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(expectedFile)).order(ByteOrder.LITTLE_ENDIAN);
        float[] expected = new float[256];
        for (int i = 0; i < 256; i++) expected[i] = b.getFloat();
        try (Rwkv5 m = RwkvCpp.load(model)) {
            assertEquals(256, m.vocabSize());
            assertEquals(12, m.numLayers());
            var s = m.newState();
            float[] logits = null;
            for (byte t : "\"in".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) logits = m.step(s, t & 0xff, Hooks.NONE);
            double sum = 0;
            for (int i = 0; i < 256; i++) sum += Math.abs(logits[i] - expected[i]);
            // rwkv.cpp's own test accepts a summed absolute difference up to 0.00105
            System.out.printf("rwkv.cpp 5v2-730K: summed |logit − expected| = %.6f%n", sum);
            assertTrue(sum <= 0.00105, "summed |logit − expected| = " + sum);
        }
    }

    @Test
    void stateHookEqualsManualStateEdit() {
        var model = SharedData.require("models/rwkv/tiny-rwkv-5v2-730K-FP32.bin");
        try (Rwkv5 m = RwkvCpp.load(model)) {
            LanguageModel.State s = m.newState();
            for (byte t : "Hello".getBytes()) m.step(s, t, Hooks.NONE);
            var manual = s.copy();
            var hooked = s.copy();
            manual.part("blocks.3.state.wkv")[7] += 0.25f;
            float[] byHand = m.step(manual, ' ', Hooks.NONE).clone();
            float[] byHook = m.step(hooked, ' ', Hooks.of("blocks.3.state.wkv", (pos, x) -> x[7] += 0.25f)).clone();
            assertArrayEquals(byHand, byHook, 1e-6f);
            assertEquals(5, s.position(), "copies leave the original alone");
            assertEquals(3 * 12, s.parts().size());
        }
    }
}
