package vireo.elk;

import java.util.Arrays;

/**
 * Area under the ROC curve, exact, with tied scores counted half (the trapezoid over tie groups, as scikit-learn's
 * {@code roc_auc_score}): AUROC = (sum of the positives' mid-ranks - n1(n1+1)/2) / (n1 n0). NaN if a class is
 * missing; then {@link #accuracy} is the metric the paper reports instead.
 */
public final class Auroc {
    private Auroc() {}

    public static double of(int[] labels, double[] scores) {
        int n = labels.length;
        if (scores.length != n) throw new IllegalArgumentException("labels and scores differ in length: " + n + " vs " + scores.length);
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPos = 0;
        long pos = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[idx[j + 1]] == scores[idx[i]]) j++;
            double mid = (i + j) / 2.0 + 1;                    // 1-based mid-rank of the tie group
            for (int k = i; k <= j; k++) if (labels[idx[k]] == 1) { rankSumPos += mid; pos++; }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) return Double.NaN;
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** Accuracy of thresholding log-odds at 0 (score > 0 predicts 1). */
    public static double accuracy(int[] labels, double[] scores) {
        int ok = 0;
        for (int i = 0; i < labels.length; i++) if ((scores[i] > 0 ? 1 : 0) == labels[i]) ok++;
        return labels.length == 0 ? Double.NaN : (double) ok / labels.length;
    }
}
