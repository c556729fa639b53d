package vireo.steer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import vireo.lm.LanguageModel;
import vireo.lm.Models;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Oracle: directions torch computed (tools/fixtures/make_steer_fixtures.py) from the residual stream after each
 * decoder block of a tiny random HF LlamaForCausalLM, at the last token of token-id prompts. Vireo loads the same
 * safetensors + config.json through vireo.lm.Models and must find the same means and directions.
 */
class TorchDirectionsTest {
    static final Path DIR = Path.of("src/test/resources/steer/tiny-llama");

    static List<int[]> ids(JsonNode arr) {
        List<int[]> out = new ArrayList<>();
        for (JsonNode p : arr) {
            int[] t = new int[p.size()];
            for (int i = 0; i < t.length; i++) t[i] = p.get(i).asInt();
            out.add(t);
        }
        return out;
    }

    @Test
    void vireoDirectionsMatchTorch() throws Exception {
        try (LanguageModel model = Models.load(DIR, null).model()) {
            check(model);
        }
    }

    static void check(LanguageModel model) throws Exception {
        JsonNode fx = new ObjectMapper().readTree(DIR.resolve("directions.json").toFile());
        {
            assertEquals(2, model.numLayers());
            assertEquals(64, model.dModel());
            ContrastSet cs = new ContrastSet("fixture", PositionRule.LAST_PROMPT_TOKEN, ids(fx.get("positives")), ids(fx.get("negatives")));
            SteeringVector v = DiffOfMeans.compute(model, "tiny-llama", cs, "blocks.{i}.resid_post", null);
            for (int l = 0; l < 2; l++) {
                JsonNode want = fx.get("layers").get(Integer.toString(l));
                SteeringVector.Site s = v.layer(l);
                double err = 0, norm = 0, maxAbs = 0;
                for (int j = 0; j < 64; j++) {
                    double w = want.get("direction").get(j).asDouble();
                    err += Math.pow(s.direction()[j] - w, 2);
                    norm += w * w;
                    maxAbs = Math.max(maxAbs, Math.abs(want.get("mean_positive").get(j).asDouble()));
                    assertEquals(want.get("mean_positive").get(j).asDouble(), s.meanPositive()[j], 1e-4 * (1 + maxAbs), "layer " + l + " μ⁺[" + j + "]");
                    assertEquals(want.get("mean_negative").get(j).asDouble(), s.meanNegative()[j], 1e-4 * (1 + maxAbs), "layer " + l + " μ⁻[" + j + "]");
                }
                System.out.printf("%s layer %d: relative error of r vs torch %.2e%n", model.family(), l, Math.sqrt(err / norm));
                assertTrue(Math.sqrt(err / norm) < 1e-4, "layer " + l + " relative error " + Math.sqrt(err / norm));
            }
        }
    }
}
