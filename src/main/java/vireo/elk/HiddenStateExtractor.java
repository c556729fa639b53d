package vireo.elk;

import vireo.lm.Hooks;
import vireo.lm.LanguageModel;
import vireo.lm.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * elk-generalization's extract_hiddens for any Vireo model: each statement is encoded with BOS and run through
 * {@link LanguageModel#forward}; every {@code blocks.l.resid_post} is read at the last prompt token; the model's
 * log-odds logit(choice1) - logit(choice0) (at the first token where the choices differ) come from the last position; for the
 * contrast pair each choice's tokens are fed after a copy of the prompt state and resid_post is read at the last
 * choice token.
 */
public final class HiddenStateExtractor {
    private final LanguageModel model;
    private final Tokenizer tokenizer;
    private final List<String> points;

    public HiddenStateExtractor(LanguageModel model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
        List<String> p = new ArrayList<>();
        for (int l = 0; l < model.numLayers(); l++) {
            String name = "blocks." + l + ".resid_post";
            if (!model.hookPoints().contains(name)) throw new IllegalStateException(model.family() + " has no hook point " + name);
            p.add(name);
        }
        this.points = p;
    }

    public ElkHiddens extract(List<QuirkyRecord> records, boolean pairs, IntConsumer progress) {
        int L = points.size(), n = records.size();
        double[][][] last = new double[L][n][];
        double[][][][] pr = pairs ? new double[L][n][2][] : null;
        double[] logOdds = new double[n];
        for (int i = 0; i < n; i++) {
            QuirkyRecord r = records.get(i);
            int[] prompt = tokenizer.encode(r.statement(), true);
            if (prompt.length == 0) throw new IllegalArgumentException("record " + r.id() + ": empty prompt");
            int[][] choice = new int[2][];
            for (int c = 0; c < 2; c++) {
                choice[c] = continuation(tokenizer, prompt, r.statement(), r.choices().get(c));
                if (choice[c].length == 0) throw new IllegalArgumentException("record " + r.id() + ": empty choice");
            }
            int k = 0;   // the first token where the choices differ (0 for the paper's vocabularies)
            while (k < choice[0].length && k < choice[1].length && choice[0][k] == choice[1][k]) k++;
            if (k == choice[0].length || k == choice[1].length)
                throw new IllegalArgumentException("record " + r.id() + ": one choice's tokens are a prefix of the other's");
            LanguageModel.State s = model.newState();
            double[][] at = new double[L][];
            float[][] logits = model.forward(s, prompt, hooksFor(at, prompt.length - 1));
            for (int l = 0; l < L; l++) last[l][i] = at[l];
            float[] lg = logits[prompt.length - 1];
            if (k > 0) {   // small vocabularies split " True" into " " + "True": condition on the shared prefix
                float[][] pl = model.forward(s.copy(), java.util.Arrays.copyOf(choice[0], k), Hooks.NONE);
                lg = pl[k - 1];
            }
            logOdds[i] = lg[choice[1][k]] - lg[choice[0][k]];
            if (pairs) for (int c = 0; c < 2; c++) {
                LanguageModel.State sc = s.copy();
                double[][] atc = new double[L][];
                model.forward(sc, choice[c], hooksFor(atc, prompt.length + choice[c].length - 1));
                for (int l = 0; l < L; l++) pr[l][i][c] = atc[l];
            }
            if (progress != null) progress.accept(i + 1);
        }
        List<LayerFeatures> layers = new ArrayList<>(L);
        for (int l = 0; l < L; l++) layers.add(new LayerFeatures(last[l], pairs ? pr[l] : null));
        return new ElkHiddens(layers, logOdds);
    }

    /**
     * The tokens a choice adds after the prompt: encode(statement + choice) minus the prompt's tokens when those are
     * a prefix of it (a SentencePiece dummy space then does not appear twice), else the choice encoded alone.
     */
    public static int[] continuation(Tokenizer tokenizer, int[] prompt, String statement, String choice) {
        int[] full = tokenizer.encode(statement + choice, true);
        if (full.length > prompt.length && java.util.Arrays.equals(full, 0, prompt.length, prompt, 0, prompt.length))
            return java.util.Arrays.copyOfRange(full, prompt.length, full.length);
        return tokenizer.encode(choice, false);
    }

    /** Hooks copying each resid_post at absolute position {@code pos} into {@code into[layer]}. */
    private Hooks hooksFor(double[][] into, int pos) {
        Hooks h = Hooks.NONE;
        for (int l = 0; l < points.size(); l++) {
            int layer = l;
            h = h.with(points.get(l), (p, x) -> {
                if (p != pos) return;
                double[] v = new double[x.length];
                for (int j = 0; j < x.length; j++) v[j] = x[j];
                into[layer] = v;
            });
        }
        return h;
    }
}
