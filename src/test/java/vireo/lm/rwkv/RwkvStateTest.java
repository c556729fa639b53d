package vireo.lm.rwkv;

import org.junit.jupiter.api.Test;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** State hooks and State.copy() on the small torch-fixture RWKV model. */
class RwkvStateTest {
    static Rwkv5 model() {
        return Rwkv5.of(vireo.io.SafeTensors.read(Path.of("src/test/resources/vireo/lm/rwkv/tiny-v5.safetensors")),
                Rwkv5.Naming.BLINKDL, Rwkv5.OFFICIAL_GROUP_NORM_EPS);
    }

    @Test
    void wkvHookBeforeLastTokenEqualsManualStateEdit() {
        int[] toks = {5, 9, 17, 33};
        try (Rwkv5 m = model()) {
            // manual: run the prefix, edit the state, run the last token
            LanguageModel.State a = m.newState();
            for (int i = 0; i < 3; i++) m.step(a, toks[i], Hooks.NONE);
            float[] wkv = a.part("blocks.1.state.wkv");
            for (int j = 0; j < wkv.length; j++) wkv[j] += 0.5f * ((j % 7) - 3);
            float[] manual = m.step(a, toks[3], Hooks.NONE).clone();
            // hook: the same edit, fired before the token at position 3 is consumed
            Hooks h = Hooks.of("blocks.1.state.wkv", (pos, x) -> {
                if (pos == 3) for (int j = 0; j < x.length; j++) x[j] += 0.5f * ((j % 7) - 3);
            });
            LanguageModel.State b = m.newState();
            float[] hooked = null;
            for (int t : toks) hooked = m.step(b, t, h);
            assertArrayEquals(manual, hooked, 0f);
            // and the edit matters
            LanguageModel.State c = m.newState();
            float[] plain = null;
            for (int t : toks) plain = m.step(c, t, Hooks.NONE);
            assertTrue(Math.abs(plain[0] - manual[0]) + Math.abs(plain[1] - manual[1]) > 1e-4f);
        }
    }

    @Test
    void copyIsIndependent() {
        try (Rwkv5 m = model()) {
            LanguageModel.State s = m.newState();
            m.step(s, 3, Hooks.NONE);
            LanguageModel.State c = s.copy();
            assertEquals(1, c.position());
            float[] fromCopy = m.step(c, 4, Hooks.NONE).clone();
            s.part("blocks.0.state.shift_att")[0] += 10f; // mutating the original must not touch the copy
            LanguageModel.State c2 = c.copy();
            assertEquals(2, c2.position());
            float[] fromOriginal = m.step(s, 4, Hooks.NONE).clone();
            assertFalse(java.util.Arrays.equals(fromCopy, fromOriginal));
            assertEquals(6, s.parts().size());
        }
    }
}
