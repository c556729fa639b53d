package vireo.lm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hook points are data: a model publishes names ({@code blocks.3.resid_post}, {@code blocks.3.state.wkv}) and a
 * caller passes a {@code Hooks} value mapping names to {@link Hook}s. With {@link #NONE} the hot path pays one
 * boolean test per point.
 *
 * <p>Residual points fire once per token, in the prompt pass and during generation, with the position of that
 * token. State points ({@code blocks.i.state.*}) fire before the token at {@code position} is consumed, on the
 * state left by the tokens before it.
 */
public final class Hooks {
    public static final Hooks NONE = new Hooks(Map.of());

    private final Map<String, List<Hook>> byPoint;

    private Hooks(Map<String, List<Hook>> byPoint) { this.byPoint = byPoint; }

    public static Hooks of(String point, Hook hook) { return NONE.with(point, hook); }

    /** A new Hooks value with {@code hook} added at {@code point} (after any already there). */
    public Hooks with(String point, Hook hook) {
        Map<String, List<Hook>> m = new LinkedHashMap<>();
        byPoint.forEach((k, v) -> m.put(k, new ArrayList<>(v)));
        m.computeIfAbsent(point, k -> new ArrayList<>()).add(hook);
        return new Hooks(m);
    }

    /** All hooks of both values, this one's first. */
    public Hooks and(Hooks other) {
        Hooks h = this;
        for (var e : other.byPoint.entrySet()) for (Hook k : e.getValue()) h = h.with(e.getKey(), k);
        return h;
    }

    public boolean isEmpty() { return byPoint.isEmpty(); }

    public boolean has(String point) { return byPoint.containsKey(point); }

    public Map<String, List<Hook>> points() { return Collections.unmodifiableMap(byPoint); }

    /** Runs the hooks registered at {@code point}, if any. */
    public void run(String point, int position, float[] x) {
        if (byPoint.isEmpty()) return;
        List<Hook> hs = byPoint.get(point);
        if (hs == null) return;
        for (Hook h : hs) h.apply(position, x);
    }
}
