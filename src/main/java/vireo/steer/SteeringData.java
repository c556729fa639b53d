package vireo.steer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import vireo.io.InvalidFileException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Readers for the steering data sets as published: CAA A/B JSON, the ACE harm CSV, AdvBench CSV, instruction
 * split JSON, and Vireo's own contrast JSON. Each returns plain records; bad files fail naming the file.
 */
public final class SteeringData {
    private SteeringData() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One CAA item: the question (with its "Choices:" block) and the two answers, "(A)" / "(B)". */
    public record AbItem(String question, String matching, String notMatching) {
        /** "A" or "B", the letter of the answer matching the behaviour. */
        public String matchingLetter() { return letter(matching); }

        public String otherLetter() { return letter(notMatching); }

        private static String letter(String answer) {
            String t = answer.trim();
            if (t.startsWith("(")) t = t.substring(1);
            return t.substring(0, 1);
        }
    }

    /** A row of the ACE harm CSV: label is "harmful" or "harmless". */
    public record AceRow(String prompt, String label, String refusal, String nonrefusal) {
        public boolean harmful() { return label.equals("harmful"); }
    }

    public record AdvBenchRow(String goal, String target) {}

    /** Free texts to contrast (Vireo's own JSON: {"name", "positive": [...], "negative": [...]}). */
    public record ContrastText(String name, List<String> positives, List<String> negatives) {}

    /** ../shared/data/steering/caa/&lt;behaviour&gt;/&lt;file&gt; */
    public static Path caaFile(Path dataRoot, String behaviour, boolean test) {
        return dataRoot.resolve("caa").resolve(behaviour).resolve(test ? "test_dataset_ab.json" : "generate_dataset.json");
    }

    public static List<AbItem> readCaa(Path path) {
        JsonNode root = json(path);
        if (!root.isArray()) throw new InvalidFileException(path, "expected a JSON list of CAA items");
        List<AbItem> out = new ArrayList<>();
        for (JsonNode n : root) {
            String q = n.path("question").asText(null), m = n.path("answer_matching_behavior").asText(null),
                    o = n.path("answer_not_matching_behavior").asText(null);
            if (q == null || m == null || o == null)
                throw new InvalidFileException(path, "item " + out.size() + " lacks question / answer_matching_behavior / answer_not_matching_behavior");
            AbItem it = new AbItem(q, m, o);
            if (!List.of("A", "B").contains(it.matchingLetter()) || !List.of("A", "B").contains(it.otherLetter()))
                throw new InvalidFileException(path, "item " + out.size() + " answers are not (A)/(B): " + m + " " + o);
            out.add(it);
        }
        return out;
    }

    public static List<AceRow> readAceHarm(Path path) {
        List<List<String>> rows = Csv.parse(path, text(path));
        List<AceRow> out = new ArrayList<>();
        Map<String, Integer> h = Csv.header(path, rows, "prompt", "label", "refusal", "nonrefusal");
        for (List<String> r : rows.subList(1, rows.size())) {
            AceRow a = new AceRow(r.get(h.get("prompt")), r.get(h.get("label")), r.get(h.get("refusal")), r.get(h.get("nonrefusal")));
            if (!a.label().equals("harmful") && !a.label().equals("harmless"))
                throw new InvalidFileException(path, "row " + (out.size() + 2) + " label '" + a.label() + "' is neither harmful nor harmless");
            out.add(a);
        }
        return out;
    }

    public static List<AdvBenchRow> readAdvBench(Path path) {
        List<List<String>> rows = Csv.parse(path, text(path));
        Map<String, Integer> h = Csv.header(path, rows, "goal", "target");
        List<AdvBenchRow> out = new ArrayList<>();
        for (List<String> r : rows.subList(1, rows.size())) out.add(new AdvBenchRow(r.get(h.get("goal")), r.get(h.get("target"))));
        return out;
    }

    /** harmful_*.json / harmless_*.json: a list of {"instruction": ...}. */
    public static List<String> readInstructions(Path path) {
        JsonNode root = json(path);
        if (!root.isArray()) throw new InvalidFileException(path, "expected a JSON list of {\"instruction\": ...}");
        List<String> out = new ArrayList<>();
        for (JsonNode n : root) {
            JsonNode t = n.get("instruction");
            if (t == null || !t.isTextual()) throw new InvalidFileException(path, "item " + out.size() + " has no instruction");
            out.add(t.asText());
        }
        return out;
    }

    /** {"name": ..., "positive": [...], "negative": [...]} or {"pairs": [{"positive": ..., "negative": ...}]}. */
    public static ContrastText readContrast(Path path) {
        JsonNode root = json(path);
        List<String> pos = new ArrayList<>(), neg = new ArrayList<>();
        if (root.has("pairs")) {
            for (JsonNode p : root.get("pairs")) {
                if (!p.path("positive").isTextual() || !p.path("negative").isTextual())
                    throw new InvalidFileException(path, "pair " + pos.size() + " needs text 'positive' and 'negative'");
                pos.add(p.get("positive").asText());
                neg.add(p.get("negative").asText());
            }
        } else {
            for (JsonNode t : root.path("positive")) pos.add(t.asText());
            for (JsonNode t : root.path("negative")) neg.add(t.asText());
        }
        if (pos.isEmpty() || neg.isEmpty())
            throw new InvalidFileException(path, "contrast file needs non-empty 'positive' and 'negative' lists (or 'pairs')");
        String name = root.path("name").asText(path.getFileName().toString());
        return new ContrastText(name, pos, neg);
    }

    private static String text(Path path) {
        vireo.io.InputFile.requireRegular(path);
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidFileException(path, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(Path path) {
        String t = text(path);
        try {
            return JSON.readTree(t);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidFileException(path, "not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines. */
    static final class Csv {
        static List<List<String>> parse(Path path, String s) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder f = new StringBuilder();
            boolean quoted = false, any = false;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < s.length() && s.charAt(i + 1) == '"') { f.append('"'); i++; }
                        else quoted = false;
                    } else f.append(c);
                } else if (c == '"') { quoted = true; any = true; }
                else if (c == ',') { row.add(f.toString()); f.setLength(0); any = true; }
                else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') i++;
                    if (any || f.length() > 0) { row.add(f.toString()); rows.add(row); }
                    row = new ArrayList<>(); f.setLength(0); any = false;
                } else { f.append(c); any = true; }
            }
            if (quoted) throw new InvalidFileException(path, "unterminated quoted CSV field");
            if (any || f.length() > 0) { row.add(f.toString()); rows.add(row); }
            if (!rows.isEmpty() && !rows.get(0).isEmpty() && rows.get(0).get(0).startsWith("\uFEFF"))
                rows.get(0).set(0, rows.get(0).get(0).substring(1));
            for (int r = 1; r < rows.size(); r++)
                if (rows.get(r).size() != rows.get(0).size())
                    throw new InvalidFileException(path, "CSV row " + (r + 1) + " has " + rows.get(r).size() + " fields, header has " + rows.get(0).size());
            return rows;
        }

        static Map<String, Integer> header(Path path, List<List<String>> rows, String... names) {
            if (rows.isEmpty()) throw new InvalidFileException(path, "empty CSV file");
            Map<String, Integer> h = new LinkedHashMap<>();
            for (String n : names) {
                int i = rows.get(0).indexOf(n);
                if (i < 0) throw new InvalidFileException(path, "CSV header lacks column '" + n + "' (has " + rows.get(0) + ")");
                h.put(n, i);
            }
            return h;
        }
    }
}
