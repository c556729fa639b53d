package vireo.steer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vireo.io.InvalidFileException;
import vireo.lm.Hooks;
import vireo.lm.LanguageModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.*;

class InterventionTest {
    static final ToyModel MODEL = new ToyModel(7, 12, 8, 2);
    static final String RESID = "blocks.{i}.resid_post";

    static List<int[]> randomPrompts(long seed, int count, int len, int bias) {
        Random r = new Random(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] t = new int[len];
            for (int j = 0; j < len; j++) t[j] = r.nextInt(6) + (j == len - 1 ? bias : 0);
            out.add(t);
        }
        return out;
    }

    /** Positives end in tokens 6..11, negatives in 0..5: a real contrast in the last token. */
    static ContrastSet set(PositionRule rule) {
        return new ContrastSet("toy", rule, randomPrompts(1, 10, 5, 6), randomPrompts(2, 10, 5, 0));
    }

    static SteeringVector vector() { return DiffOfMeans.compute(MODEL, "toy", set(PositionRule.LAST_PROMPT_TOKEN), RESID, null); }

    /** Oracle: each example run alone, activation copied at its last token, means in double. */
    static double[][] bruteMean(List<int[]> examples, String point) {
        double[] sum = new double[MODEL.dModel()];
        for (int[] t : examples) {
            float[][] got = new float[1][];
            LanguageModel.State s = MODEL.newState();
            for (int i = 0; i < t.length; i++) {
                int last = t.length - 1;
                MODEL.step(s, t[i], Hooks.of(point, (p, x) -> { if (p == last) got[0] = x.clone(); }));
            }
            for (int j = 0; j < sum.length; j++) sum[j] += got[0][j];
        }
        for (int j = 0; j < sum.length; j++) sum[j] /= examples.size();
        return new double[][]{sum};
    }

    @Test
    void diffOfMeansMatchesExampleByExampleMeans() {
        ContrastSet cs = set(PositionRule.LAST_PROMPT_TOKEN);
        SteeringVector v = vector();
        assertEquals(2, v.sites().size());
        for (int l = 0; l < 2; l++) {
            String p = "blocks." + l + ".resid_post";
            double[] mp = bruteMean(cs.positives(), p)[0], mn = bruteMean(cs.negatives(), p)[0];
            for (int j = 0; j < 8; j++) {
                assertEquals((float) mp[j], v.site(p).meanPositive()[j], 0f);
                assertEquals((float) (mp[j] - mn[j]), v.site(p).direction()[j], 1e-6f);
            }
        }
        // unpaired path (no prefix sharing) gives the same numbers
        ContrastSet unpaired = new ContrastSet("toy", PositionRule.LAST_PROMPT_TOKEN, cs.positives(), cs.negatives().subList(0, 9));
        SteeringVector u = DiffOfMeans.compute(MODEL, "toy", unpaired, RESID, null);
        assertArrayEquals(v.layer(1).meanPositive(), u.layer(1).meanPositive());
        assertEquals(9, u.nNegative());
        assertTrue(v.layer(1).norm() > 0.1, "the contrast must give a non-trivial direction");
    }

    @Test
    void pairedPrefixSharingEqualsSeparateRuns() {
        // pairs differing only in the last token, as A/B data
        List<int[]> pos = randomPrompts(3, 6, 6, 0), neg = new ArrayList<>();
        for (int[] t : pos) { int[] n = t.clone(); n[n.length - 1] = 11; neg.add(n); }
        SteeringVector paired = DiffOfMeans.compute(MODEL, "toy", new ContrastSet("ab", PositionRule.ANSWER_LETTER, pos, neg), RESID, null);
        double[] mn = bruteMean(neg, "blocks.1.resid_post")[0];
        for (int j = 0; j < 8; j++) assertEquals((float) mn[j], paired.layer(1).meanNegative()[j], 0f);
    }

    @Test
    void finalStateVectorsReadEveryStatePart() {
        ContrastSet cs = set(PositionRule.FINAL_STATE);
        SteeringVector v = DiffOfMeans.compute(MODEL, "toy", cs, RESID, null);
        assertEquals("blocks.{i}.state.*", v.hook());
        assertEquals(4, v.sites().size());
        assertEquals(4, v.site("blocks.1.state.c").size());
        double[] sum = new double[4];
        for (int[] t : cs.positives()) {
            LanguageModel.State s = MODEL.newState();
            for (int tok : t) MODEL.step(s, tok, Hooks.NONE);
            for (int j = 0; j < 4; j++) sum[j] += s.part("blocks.1.state.c")[j];
        }
        for (int j = 0; j < 4; j++) assertEquals((float) (sum[j] / 10), v.site("blocks.1.state.c").meanPositive()[j], 0f);
    }

    /** Runs prompt with {@code steer}, recording the activation at {@code point} after all edits, per position. */
    static float[][] editedActivations(Hooks steer, String point, int[] prompt) {
        float[][] seen = new float[prompt.length][];
        Hooks h = steer.and(Hooks.of(point, (p, x) -> seen[p] = x.clone()));
        LanguageModel.State s = MODEL.newState();
        for (int t : prompt) MODEL.step(s, t, h);
        return seen;
    }

    static float[][] logits(Hooks h, int[] prompt) { return MODEL.forward(MODEL.newState(), prompt, h); }

    @Test
    void ablationLeavesNoComponentAlongDirection() {
        SteeringVector v = vector();
        int[] prompt = {1, 7, 3, 9, 2, 8};
        Hooks h = Intervention.of(Method.ABLATE, v, List.of(0, 1), 0, Positions.ALL).hooks(prompt.length);
        for (int l = 0; l < 2; l++) {
            float[] u = v.layer(l).unit();
            for (float[] x : editedActivations(h, "blocks." + l + ".resid_post", prompt)) {
                double norm = Math.sqrt(VectorMath.dot(x, x));
                assertEquals(0, VectorMath.dot(u, x), 1e-6 * norm + 1e-6);
            }
        }
        // and the unsteered activations did have a component along û (so the test can fail)
        float[] raw = editedActivations(Hooks.NONE, "blocks.1.resid_post", prompt)[5];
        assertTrue(Math.abs(VectorMath.dot(v.layer(1).unit(), raw)) > 1e-2);
    }

    @Test
    void aceSetsTheConceptCoordinateToReferencePlusAlphaNorm() {
        SteeringVector v = vector();
        int[] prompt = {1, 7, 3, 9, 2, 8, 4};
        for (double alpha : new double[]{-1.5, 0, 0.5, 1, 2}) {
            Hooks h = Intervention.of(Method.ACE, v, List.of(0, 1), alpha, Positions.ALL).hooks(prompt.length);
            for (int l = 0; l < 2; l++) {
                SteeringVector.Site s = v.layer(l);
                float[] u = s.unit();
                double want = VectorMath.dot(u, s.meanNegative()) + alpha * s.norm();
                for (float[] x : editedActivations(h, "blocks." + l + ".resid_post", prompt))
                    assertEquals(want, VectorMath.dot(u, x), 1e-5 * (1 + Math.abs(want)));
            }
        }
    }

    @Test
    void affineProjectsOntoTheReferenceHyperplane() {
        SteeringVector v = vector();
        int[] prompt = {5, 7, 3, 9};
        Hooks h = Intervention.of(Method.AFFINE, v, List.of(1), 0, Positions.ALL).hooks(prompt.length);
        SteeringVector.Site s = v.layer(1);
        double want = VectorMath.dot(s.unit(), s.pooledMean(10, 10));
        for (float[] x : editedActivations(h, "blocks.1.resid_post", prompt))
            assertEquals(want, VectorMath.dot(s.unit(), x), 1e-5);
    }

    @Test
    void aceMatchesTheReferenceFormWithHalfOffset() {
        // steering-llama3 orth: x − ûûᵀ(x − μ̄) + m·r ; Vireo: x − ûûᵀ(x − μ⁻) + α·r with α = m + ½ (balanced)
        SteeringVector.Site s = vector().layer(1);
        Random r = new Random(4);
        float[] x = new float[8];
        for (int j = 0; j < 8; j++) x[j] = (float) r.nextGaussian();
        double m = 0.75;
        float[] ref = x.clone(), ours = x.clone();
        Edits.affine(ref, s.unit(), s.pooledMean(10, 10));
        Edits.add(ref, s.direction(), m);
        Edits.ace(ours, s.unit(), s.meanNegative(), s.direction(), Intervention.alphaForReferenceMultiplier(m, 10, 10));
        assertEquals(1.25, Intervention.alphaForReferenceMultiplier(m, 10, 10));
        for (int j = 0; j < 8; j++) assertEquals(ref[j], ours[j], 1e-5);
    }

    @Test
    void additionAtZeroIsTheIdentityToTheBit() {
        SteeringVector v = vector();
        int[] prompt = {1, 7, 3, 9, 2, 8};
        float[][] base = logits(Hooks.NONE, prompt);
        for (String at : List.of(RESID, "blocks.{i}.mlp_out", "blocks.{i}.resid_pre")) {
            Hooks h = new Intervention(Method.ADD, v, List.of(0, 1), 0.0, Positions.ALL, at, null).hooks(prompt.length);
            float[][] steered = logits(h, prompt);
            for (int i = 0; i < prompt.length; i++)
                for (int j = 0; j < base[i].length; j++)
                    assertEquals(Float.floatToRawIntBits(base[i][j]), Float.floatToRawIntBits(steered[i][j]));
        }
        float[][] moved = logits(Intervention.of(Method.ADD, v, List.of(0), 1.0, Positions.ALL).hooks(prompt.length), prompt);
        assertFalse(Arrays.equals(base[5], moved[5]));
    }

    @Test
    void additionAddsExactlyMTimesRAtTheChosenPositionsOnly() {
        SteeringVector v = vector();
        int[] prompt = {1, 7, 3, 9, 2, 8};
        float[][] before = editedActivations(Hooks.NONE, "blocks.0.resid_post", prompt);
        Hooks h = Intervention.of(Method.ADD, v, List.of(0), -2.0, Positions.from(3)).hooks(prompt.length);
        float[][] after = editedActivations(h, "blocks.0.resid_post", prompt);
        float[] r = v.layer(0).direction();
        for (int p = 0; p < 3; p++) assertArrayEquals(before[p], after[p], 0f);
        // nothing was edited before position 3, so its pre-edit activation is the clean one
        for (int j = 0; j < 8; j++) assertEquals(before[3][j] - 2.0f * r[j], after[3][j], 1e-5f);
    }

    @Test
    void positionPredicates() {
        int n = 5;
        assertTrue(Positions.PROMPT.includes(4, n));
        assertFalse(Positions.PROMPT.includes(5, n));
        assertTrue(Positions.GENERATED.includes(5, n));
        assertTrue(Positions.LAST_PROMPT_AND_GENERATED.includes(4, n));
        assertFalse(Positions.LAST_PROMPT_AND_GENERATED.includes(3, n));
        assertTrue(Positions.lastPrompt(3).includes(2, n));
        assertFalse(Positions.lastPrompt(3).includes(1, n));
        assertFalse(Positions.lastPrompt(3).includes(5, n));
        assertEquals(Positions.from(2), Positions.parse("from:2"));
        assertEquals(Positions.LAST_PROMPT_AND_GENERATED, Positions.parse("after"));
        // the reference's rules (steering-llama3 --toks): before = 0..L-2, after = L-1 onward, through generation
        Positions before = Positions.parse("before"), after = Positions.parse("after"), prompt = Positions.parse("prompt");
        int L = 5;
        for (int p = 0; p < 9; p++) {
            assertEquals(p <= L - 2, before.includes(p, L), "before at " + p);
            assertEquals(p >= L - 1, after.includes(p, L), "after at " + p);
            assertEquals(p < L, prompt.includes(p, L), "prompt at " + p);
            assertNotEquals(before.includes(p, L), after.includes(p, L), "before and after partition at " + p);
        }
        assertEquals("before", before.toString());
        assertThrows(IllegalArgumentException.class, () -> Positions.parse("sometimes"));
    }

    @Test
    void stateSteeringAddsMDeltaBeforeTheLastTokenOnly() {
        SteeringVector sv = DiffOfMeans.compute(MODEL, "toy", set(PositionRule.FINAL_STATE), RESID, null);
        int[] prompt = {1, 7, 3, 9, 2};
        double m = 1.5;
        Hooks h = Intervention.of(Method.STATE, sv, List.of(1), m, Positions.lastPrompt(1)).hooks(prompt.length);
        // record the state part as the model sees it (after the edit) before each token
        float[][] seen = new float[prompt.length][], clean = new float[prompt.length][];
        Hooks rec = h.and(Hooks.of("blocks.1.state.h", (p, x) -> seen[p] = x.clone()));
        Hooks recClean = Hooks.of("blocks.1.state.h", (p, x) -> clean[p] = x.clone());
        float[][] steered = MODEL.forward(MODEL.newState(), prompt, rec), base = MODEL.forward(MODEL.newState(), prompt, recClean);
        float[] d = sv.site("blocks.1.state.h").direction();
        for (int p = 0; p < 4; p++) {
            assertArrayEquals(clean[p], seen[p], 0f);
            assertArrayEquals(base[p], steered[p], 0f);
        }
        for (int j = 0; j < d.length; j++) assertEquals(clean[4][j] + 1.5f * d[j], seen[4][j], 1e-6f);
        assertFalse(Arrays.equals(base[4], steered[4]));
        // a part filter edits only that part
        Hooks onlyC = new Intervention(Method.STATE, sv, List.of(1), m, Positions.lastPrompt(1), "blocks.{i}.state.c", null).hooks(prompt.length);
        float[][] seenH = new float[prompt.length][];
        MODEL.forward(MODEL.newState(), prompt, onlyC.and(Hooks.of("blocks.1.state.h", (p, x) -> seenH[p] = x.clone())));
        assertArrayEquals(clean[4], seenH[4], 0f);
        assertEquals(1, onlyC.points().size());
        assertThrows(IllegalArgumentException.class, () -> new Intervention(Method.STATE, sv, List.of(1), m, Positions.ALL, "blocks.{i}.state.zz", null).hooks(5));
        assertThrows(IllegalArgumentException.class, () -> Intervention.of(Method.STATE, vector(), List.of(1), 1, Positions.ALL));
        assertThrows(IllegalArgumentException.class, () -> Intervention.of(Method.ADD, sv, List.of(1), 1, Positions.ALL));
    }

    @Test
    void vectorFileRoundTripsBitwise(@TempDir Path dir) throws Exception {
        SteeringVector v = vector();
        Path f = dir.resolve("v.safetensors");
        VectorFile.save(f, v);
        SteeringVector w = VectorFile.load(f);
        assertEquals(v.model(), w.model());
        assertEquals(v.hook(), w.hook());
        assertEquals(v.positionRule(), w.positionRule());
        assertEquals(10, w.nPositive());
        assertEquals(v.sites().keySet(), w.sites().keySet());
        for (String p : v.sites().keySet()) {
            assertArrayEquals(v.site(p).direction(), w.site(p).direction(), 0f);
            assertArrayEquals(v.site(p).meanNegative(), w.site(p).meanNegative(), 0f);
        }
        Path bad = dir.resolve("bad.safetensors");
        Files.writeString(bad, "not a tensor file");
        InvalidFileException e = assertThrows(InvalidFileException.class, () -> VectorFile.load(bad));
        assertTrue(e.getMessage().startsWith(bad.toString()));
    }
}
