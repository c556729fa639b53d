package vireo.lm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one place hook names given by users are resolved against the points a model publishes: globs ({@code *}
 * matches any run of characters inside one dotted part), TransformerLens's {@code hook_} spelling as an alias
 * ({@code blocks.3.hook_resid_post} is {@code blocks.3.resid_post}), and a compact listing of the valid names.
 */
public final class HookPoints {
    private HookPoints() {}

    /** The name with TransformerLens's {@code hook_} prefix dropped from every dotted part. */
    public static String canonical(String name) {
        return String.join(".", java.util.Arrays.stream(name.split("\\.", -1))
                .map(p -> p.startsWith("hook_") ? p.substring(5) : p).toList());
    }

    /** Points of {@code published} that {@code nameOrGlob} names, in published order; empty when none. */
    public static List<String> match(List<String> published, String nameOrGlob) {
        String c = canonical(nameOrGlob);
        Pattern p = Pattern.compile(Pattern.quote(c).replace("*", "\\E[^.]+\\Q"));
        return published.stream().filter(n -> p.matcher(n).matches()).toList();
    }

    /** Like {@link #match} but throws IllegalArgumentException naming the valid points when nothing matches. */
    public static List<String> resolve(List<String> published, String nameOrGlob) {
        List<String> m = match(published, nameOrGlob);
        if (m.isEmpty()) throw new IllegalArgumentException("no hook point '" + nameOrGlob + "'; valid: " + compact(published));
        return m;
    }

    /** Names with the layer index folded: {@code blocks.{0..5}.resid_pre|blocks.{0..5}.resid_post}. */
    public static String compact(List<String> published) {
        Map<String, List<Integer>> byShape = new LinkedHashMap<>();
        List<String> other = new ArrayList<>();
        for (String n : published) {
            var mt = Pattern.compile("blocks\\.(\\d+)\\.(.+)").matcher(n);
            if (mt.matches()) byShape.computeIfAbsent(mt.group(2), k -> new ArrayList<>()).add(Integer.parseInt(mt.group(1)));
            else other.add(n);
        }
        List<String> parts = new ArrayList<>();
        byShape.forEach((rest, ls) -> {
            int lo = ls.stream().mapToInt(i -> i).min().orElse(0), hi = ls.stream().mapToInt(i -> i).max().orElse(0);
            parts.add("blocks." + (lo == hi ? Integer.toString(lo) : "{" + lo + ".." + hi + "}") + "." + rest);
        });
        parts.addAll(other);
        return String.join("|", parts);
    }
}
