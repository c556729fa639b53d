package vireo.elk;

import org.junit.jupiter.api.Test;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;
import vireo.lm.Models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Dataset -> extract -> transfer -> anomaly on stories260K (skips without ../shared). */
class ElkEndToEndTest {
    static final Path MODEL = Path.of("../shared/models/llama2c/stories260K.bin"), TOK = Path.of("../shared/models/llama2c/tok512.bin");

    @Test
    void extractTransferAndAnomalyOnATinyLlama(@org.junit.jupiter.api.io.TempDir Path dir) {
        assumeTrue(Files.exists(MODEL) && Files.exists(TOK), "stories260K not in ../shared");
        List<QuirkyRecord> rs = new QuirkyDatasetGenerator(QuirkyTask.ADDITION, 2, 40, 3).generate();
        try (Models.Loaded m = Models.load(MODEL, TOK)) {
            LanguageModel lm = m.model();
            ElkHiddens h = new HiddenStateExtractor(lm, m.tokenizer()).extract(rs, true, null);
            assertEquals(lm.numLayers(), h.numLayers());
            assertEquals(rs.size(), h.layers().getFirst().last().length);
            assertEquals(lm.dModel(), h.layers().getFirst().pairs()[0][1].length);

            // independent check of the last-token state: a step loop with its own hook
            QuirkyRecord r = rs.get(5);
            int[] prompt = m.tokenizer().encode(r.statement(), true);
            int L = lm.numLayers() - 1;
            float[][] got = new float[1][];
            Hooks hk = Hooks.of("blocks." + L + ".resid_post", (p, x) -> { if (p == prompt.length - 1) got[0] = x.clone(); });
            LanguageModel.State s = lm.newState();
            for (int t : prompt) lm.step(s, t, hk);
            for (int j = 0; j < lm.dModel(); j++) assertEquals(got[0][j], h.layers().get(L).last()[5][j], 1e-4);
            // the pair states differ from each other and from the last prompt token
            assertNotEquals(h.layers().get(L).pairs()[5][0][0], h.layers().get(L).pairs()[5][1][0]);

            h.save(dir);
            ElkHiddens back = ElkHiddens.load(dir);
            assertEquals((float) h.lmLogOdds()[3], (float) back.lmLogOdds()[3]);

            var rows = TransferExperiment.run(ProbeMethod.MEAN_DIFF, rs, h, rs, h, TransferExperiment.PAPER, 0);
            assertFalse(rows.isEmpty());
            // A -> A against label, trained and tested on the same rows: at least as good as chance at some layer
            assertTrue(rows.stream().filter(x -> x.train().equals("A") && x.test().equals("A") && x.against().equals("label"))
                    .mapToDouble(TransferExperiment.Row::auroc).max().orElseThrow() > 0.5);
            // the prompts end in "Alice:" or "Bob:": even an untuned model separates them perfectly at the last token
            AnomalyExperiment.Result a = AnomalyExperiment.run(rs, h, ProbeMethod.MEAN_DIFF, 0);
            assertEquals(1.0, a.perLayerAuroc()[L], 1e-12);
        }
    }
}
