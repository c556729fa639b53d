package vireo.cli;

import vireo.steer.Positions;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place where numeric and rule options are checked, called first thing in a command so that a bad value
 * ends in {@code vireo: <option>: <problem>} (exit 2) before any model is loaded or any file is written.
 */
final class OptionChecks {
    private OptionChecks() {}

    private static UserError bad(String option, String problem, Object got) {
        return new UserError(option + ": " + problem + ", got " + got);
    }

    /** A sampling temperature: finite and ≥ 0 (0 = greedy). */
    static double temperature(String option, double t) {
        if (!Double.isFinite(t) || t < 0) throw bad(option, "must be a finite number >= 0 (0 = greedy)", t);
        return t;
    }

    /** A nucleus mass in (0, 1]. */
    static double probability(String option, double p) {
        if (!(p > 0 && p <= 1)) throw bad(option, "must be in (0, 1]", p);
        return p;
    }

    static double finite(String option, double v) {
        if (!Double.isFinite(v)) throw bad(option, "must be a finite number", v);
        return v;
    }

    /** A count that must be at least 1 ({@code --limit}, {@code --max-tokens}, ...). */
    static int positive(String option, int n) {
        if (n < 1) throw bad(option, "must be at least 1", n);
        return n;
    }

    /** As {@link #positive(String, int)}; null means "not given". */
    static Integer positive(String option, Integer n) {
        if (n != null) positive(option, n.intValue());
        return n;
    }

    /** A comma list of finite numbers, e.g. {@code --multipliers -2,-1,0,1,2}. */
    static List<Double> finiteList(String option, String csv) {
        List<Double> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (s.isBlank()) continue;
            double d;
            try {
                d = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw bad(option, "not a number '" + s.trim() + "' in the list", "'" + csv + "'");
            }
            if (!Double.isFinite(d)) throw bad(option, "every value must be a finite number", "'" + csv + "'");
            out.add(d);
        }
        if (out.isEmpty()) throw bad(option, "needs at least one number", "'" + csv + "'");
        return out;
    }

    /** A position rule ({@link Positions#HELP}). */
    static Positions positions(String option, String rule) {
        try {
            return Positions.parse(rule);
        } catch (IllegalArgumentException e) {
            throw new UserError(option + ": " + e.getMessage());
        }
    }
}
