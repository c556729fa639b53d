package vireo.elk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.*;

/** Probes and AUROC against scikit-learn / numpy (tools/fixtures/elk_probes.py). */
class ProbesTest {
    static JsonNode f;
    static double[][] x;
    static int[] y;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = ProbesTest.class.getResourceAsStream("/elk/probes.json")) {
            f = new ObjectMapper().readTree(in);
        }
        x = new double[f.get("x").size()][];
        for (int i = 0; i < x.length; i++) x[i] = vec(f.get("x").get(i));
        y = new int[x.length];
        for (int i = 0; i < y.length; i++) y[i] = f.get("y").get(i).asInt();
    }

    static double[] vec(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).asDouble();
        return v;
    }

    @Test
    void logisticRegressionWeightsMatchSklearnWithin1e4() {
        double[] p = LogisticRegressionProbe.fitWeights(x, y, 1e-3);
        double[] w = vec(f.get("lr_w"));
        for (int j = 0; j < w.length; j++) assertEquals(w[j], p[j], 1e-4, "w" + j);
        assertEquals(f.get("lr_b").asDouble(), p[w.length], 1e-4);
        assertEquals(f.get("lr_train_auroc").asDouble(), Auroc.of(y, LogisticRegressionProbe.fit(x, y).score(x)), 1e-12);
    }

    @Test
    void meanDiffDirectionMatchesNumpy() {
        assertArrayEquals(vec(f.get("mean_diff")), MeanDiffProbe.direction(x, y), 1e-12);
    }

    @Test
    void ldaUsesThePseudoInverseOfThePooledCovariance() {
        double[] want = vec(f.get("lda")), got = LdaProbe.direction(x, y);
        for (int j = 0; j < want.length; j++) assertEquals(want[j], got[j], 1e-8 * (1 + Math.abs(want[j])), "lda" + j);
    }

    @Test
    void aurocCountsTiesAsSklearn() {
        assertEquals(f.get("auroc_ties").asDouble(), Auroc.of(y, vec(f.get("tie_scores"))), 1e-15);
        assertEquals(1.0, Auroc.of(new int[]{0, 0, 1}, new double[]{0.1, 0.2, 0.3}));
        assertEquals(0.5, Auroc.of(new int[]{0, 1}, new double[]{1, 1}));
        assertTrue(Double.isNaN(Auroc.of(new int[]{1, 1}, new double[]{1, 2})));
        assertEquals(0.5, Auroc.accuracy(new int[]{1, 1}, new double[]{1, -2}));
    }

    @Test
    void signResolutionFlipsAnAntiCorrelatedDirection() {
        double[] w = MeanDiffProbe.direction(x, y);
        for (int j = 0; j < w.length; j++) w[j] = -w[j];
        assertTrue(Auroc.of(y, Probe.signResolved(w, x, y).score(x)) > 0.5);
    }
}
