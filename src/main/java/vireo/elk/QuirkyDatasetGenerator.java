package vireo.elk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Generates a quirky arithmetic dataset by the rules of elk-generalization's {@code binary_operation_dataset.py}
 * and {@code unary_operation_dataset.py}: a quarter of the base equations show Alice's true result (Alice true, Bob
 * false), a quarter Bob's sloppy result (Alice false, Bob true), half a distractor false for both (one random digit
 * of Alice's or Bob's result changed). Each base equation then yields one Alice and one Bob record.
 * Difficulty = min(|op1|, |op2|) (|op1| for squaring), quantile = (rank + 0.5) / N over the base equations.
 * Deterministic from {@code seed}.
 */
public final class QuirkyDatasetGenerator {
    private final QuirkyTask task;
    private final int maxDigits;
    private final int baseExamples;
    private final long seed;

    public QuirkyDatasetGenerator(QuirkyTask task, int maxDigits, int baseExamples, long seed) {
        if (maxDigits < 1 || maxDigits > 9) throw new IllegalArgumentException("max digits must be 1..9, got " + maxDigits);
        if (baseExamples < 4) throw new IllegalArgumentException("need at least 4 base examples, got " + baseExamples);
        long distinct = (long) Math.pow(10, maxDigits);
        if (task.arity == 2) distinct *= distinct;
        if (baseExamples / 4 + 1 > distinct / 4)
            throw new IllegalArgumentException(baseExamples + " base examples do not fit " + maxDigits + "-digit operands");
        this.task = task;
        this.maxDigits = maxDigits;
        this.baseExamples = baseExamples;
        this.seed = seed;
    }

    private record Base(long op1, long op2, long result, int alice, int bob) {}

    public List<QuirkyRecord> generate() {
        Random rnd = new Random(seed);
        int q = baseExamples / 4;
        List<Base> base = new ArrayList<>(baseExamples);
        base.addAll(quarter(rnd, false, true, q));                  // Alice true, Bob false
        base.addAll(quarter(rnd, true, true, q));                   // Alice false, Bob true
        base.addAll(quarter(rnd, false, false, q));                 // distractors near Alice's result
        base.addAll(quarter(rnd, true, false, baseExamples - 3 * q)); // distractors near Bob's result
        Collections.shuffle(base, rnd);

        long[] diff = new long[base.size()];
        for (int i = 0; i < diff.length; i++) {
            Base b = base.get(i);
            diff[i] = task.arity == 1 ? Math.abs(b.op1) : Math.min(Math.abs(b.op1), Math.abs(b.op2));
        }
        double[] quantile = quantiles(diff);
        List<QuirkyRecord> out = new ArrayList<>(2 * base.size());
        for (int i = 0; i < base.size(); i++) {
            Base b = base.get(i);
            for (String c : List.of("Alice", "Bob")) {
                int label = c.equals("Alice") ? b.alice : b.bob;
                out.add(new QuirkyRecord(out.size(), c, b.op1, b.op2, b.result, label, b.alice, b.bob, diff[i],
                        quantile[i], task.statement(b.op1, b.op2, b.result, c), QuirkyTask.CHOICES));
            }
        }
        return out;
    }

    /** (rank + 0.5) / N with ranks from a stable sort (ties keep their order), as pandas/argsort would. */
    static double[] quantiles(long[] d) {
        Integer[] idx = new Integer[d.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, (x, y) -> Long.compare(d[x], d[y]));
        double[] q = new double[d.length];
        for (int r = 0; r < idx.length; r++) q[idx[r]] = (r + 0.5) / d.length;
        return q;
    }

    private List<Base> quarter(Random rnd, boolean bobsView, boolean positive, int n) {
        List<Base> out = new ArrayList<>(n);
        Set<Long> seen = new HashSet<>();
        while (out.size() < n) {
            long a = operand(rnd), b = task.arity == 2 ? operand(rnd) : 0;
            if (!seen.add(a * 1_000_000_000L + b)) continue;
            long real = task.apply(a, b, false), sloppy = task.apply(a, b, true);
            long pos = bobsView ? sloppy : real;
            long res = pos;
            if (!positive) {
                do res = distractor(rnd, pos); while (res == real || res == sloppy);
            }
            out.add(new Base(a, b, res, res == real ? 1 : 0, res == sloppy ? 1 : 0));
        }
        return out;
    }

    private long operand(Random rnd) { return (long) Math.pow(10, rnd.nextDouble() * maxDigits); }

    /** Replaces one random character of the decimal string (the sign included, as in the paper) by a random digit. */
    private static long distractor(Random rnd, long positive) {
        char[] s = Long.toString(positive).toCharArray();
        s[rnd.nextInt(s.length)] = (char) ('0' + rnd.nextInt(10));
        return Long.parseLong(new String(s));
    }
}
