package vireo.lm.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.lm.Models;
import vireo.lm.llama.Llama;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FineTuneTest {
    static final Path MODEL = Path.of("src", "test", "resources", "fixtures", "llama", "untied");
    static final Lora LORA = new Lora(4, 8, 0.1, Set.of("q", "v", "o", "gate", "up", "down"), 7);
    static final FineTune.Settings SETTINGS = new FineTune.Settings(12, 4, 3e-2, 2, 1.0, 0.0, 5);

    static List<FineTune.Example> answers() {
        List<FineTune.Example> ex = new ArrayList<>();
        for (int i = 0; i < 8; i++) ex.add(FineTune.Example.answerToken(new int[]{1, 10 + i, 20 + i, 30}, i % 2 == 0 ? 77 : 88));
        return ex;
    }

    @Test
    void answerTokenLoraLearnsAndResumeEqualsAnUninterruptedRun(@TempDir Path tmp) {
        try (Models.Loaded m = Models.load(MODEL, null)) {
            Llama base = (Llama) m.model();
            List<FineTune.Example> data = answers();
            TrainableLlama a = new TrainableLlama(base, LORA);
            FineTune fa = new FineTune(a, SETTINGS);
            double before = fa.evaluate(data);
            fa.fit(data, null);
            double after = fa.evaluate(data);
            assertTrue(after < 0.6 * before, "answer loss " + before + " -> " + after);

            TrainableLlama b = new TrainableLlama(base, LORA);
            FineTune fb = new FineTune(b, SETTINGS);
            for (int i = 0; i < 5; i++) fb.step(fb.nextBatch(data));
            fb.checkpoint(tmp.resolve("ck.safetensors"));
            TrainableLlama c = new TrainableLlama(base, LORA);
            FineTune fc = new FineTune(c, SETTINGS);
            fc.resume(tmp.resolve("ck.safetensors"));
            assertEquals(5, fc.stepsDone());
            fc.fit(data, null);
            for (var e : a.trainableParameters().entrySet())
                assertArrayEquals(e.getValue().data, c.trainableParameters().get(e.getKey()).data, 0f, e.getKey());
        }
    }

    @Test
    void scheduleWarmsUpThenDecaysToZero() {
        FineTune.Settings s = new FineTune.Settings(10, 1, 1.0, 2, 0, 0, 1);
        try (Models.Loaded m = Models.load(MODEL, null)) {
            FineTune f = new FineTune(new TrainableLlama((Llama) m.model(), LORA), s);
            assertEquals(0.5, f.lrAt(0), 1e-12);
            assertEquals(1.0, f.lrAt(2), 1e-12);
            assertEquals(0.5, f.lrAt(6), 1e-12);
            assertEquals(0.0, f.lrAt(10), 1e-12);
        }
    }

    @Test
    void completionExamplesTakeLossOnTheCompletionOnly() {
        FineTune.Example e = FineTune.Example.completion(new int[]{1, 2, 3}, new int[]{4, 5});
        assertArrayEquals(new int[]{1, 2, 3, 4}, e.tokens());
        assertArrayEquals(new int[]{-1, -1, 4, 5}, e.targets());
        assertEquals(2, FineTune.pack(List.of(new int[]{1, 2, 3, 4}, new int[]{5, 6}), 2).size());
    }
}
