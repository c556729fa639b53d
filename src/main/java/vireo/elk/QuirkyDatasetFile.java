package vireo.elk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Quirky datasets as JSONL (one record per line) or CSV, with elk-generalization's column names: {@code id,
 * character, label, alice_label, bob_label, difficulty, difficulty_quantile, choices, template_args} plus our
 * rendered {@code statement}. Files published by the paper (HF {@code quirky_*_raw}, exported to JSONL/CSV) lack
 * {@code statement}; it is then rendered from {@code template_args} with the task's first template.
 */
public final class QuirkyDatasetFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QuirkyDatasetFile() {}

    public static String toJsonLine(QuirkyRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", r.id());
        o.put("character", r.character());
        o.put("statement", r.statement());
        o.put("label", r.label());
        o.put("alice_label", r.aliceLabel());
        o.put("bob_label", r.bobLabel());
        o.put("difficulty", r.difficulty());
        o.put("difficulty_quantile", r.difficultyQuantile());
        var ch = o.putArray("choices");
        r.choices().forEach(ch::add);
        ObjectNode args = o.putObject("template_args");
        args.put("op1", r.op1());
        args.put("op2", r.op2());
        args.put("result", r.result());
        args.put("character", r.character());
        return o.toString();
    }

    public static String toJsonl(List<QuirkyRecord> records) {
        StringBuilder sb = new StringBuilder();
        for (QuirkyRecord r : records) sb.append(toJsonLine(r)).append('\n');
        return sb.toString();
    }

    /** Reads a .jsonl or .csv file; {@code task} renders statements when the file has none. */
    public static List<QuirkyRecord> read(Path file, QuirkyTask task) throws IOException {
        String name = file.getFileName().toString();
        List<JsonNode> rows = name.endsWith(".csv") ? csvRows(file) : jsonlRows(file);
        List<QuirkyRecord> out = new ArrayList<>(rows.size());
        int line = 0;
        for (JsonNode o : rows) {
            line++;
            try {
                out.add(record(o, out.size(), task));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ": record " + line + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static List<JsonNode> jsonlRows(Path file) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String s;
            while ((s = in.readLine()) != null) if (!s.isBlank()) rows.add(JSON.readTree(s));
        }
        return rows;
    }

    /** A small CSV reader (quoted fields with doubled quotes); {@code template_args}/{@code choices} cells hold JSON. */
    private static List<JsonNode> csvRows(Path file) throws IOException {
        List<List<String>> table = parseCsv(Files.readString(file));
        if (table.isEmpty()) return List.of();
        List<String> header = table.getFirst();
        List<JsonNode> rows = new ArrayList<>();
        for (List<String> cells : table.subList(1, table.size())) {
            if (cells.size() == 1 && cells.getFirst().isEmpty()) continue;
            ObjectNode o = JSON.createObjectNode();
            for (int i = 0; i < header.size() && i < cells.size(); i++) {
                String h = header.get(i), v = cells.get(i);
                if (h.equals("template_args") || h.equals("choices")) o.set(h, parseLoose(v));
                else o.put(h, v);
            }
            rows.add(o);
        }
        return rows;
    }

    /** JSON, or a Python repr with single quotes as pandas writes dicts and lists into CSV. */
    private static JsonNode parseLoose(String v) throws IOException {
        try {
            return JSON.readTree(v);
        } catch (IOException e) {
            return JSON.readTree(v.replace('\'', '"'));
        }
    }

    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') { cell.append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.append(c);
            } else if (c == '"') quoted = true;
            else if (c == ',') { row.add(cell.toString()); cell.setLength(0); }
            else if (c == '\n') { row.add(cell.toString()); cell.setLength(0); rows.add(row); row = new ArrayList<>(); }
            else if (c != '\r') cell.append(c);
        }
        if (!cell.isEmpty() || !row.isEmpty()) { row.add(cell.toString()); rows.add(row); }
        return rows;
    }

    private static QuirkyRecord record(JsonNode o, int index, QuirkyTask task) {
        JsonNode args = o.path("template_args");
        String character = text(o, "character", args.path("character").asText(null));
        if (!"Alice".equals(character) && !"Bob".equals(character))
            throw new IllegalArgumentException("character must be Alice or Bob, got " + character);
        long op1 = args.path("op1").asLong(0), op2 = args.path("op2").asLong(0), result = args.path("result").asLong(0);
        String statement = o.hasNonNull("statement") ? o.get("statement").asText()
                : task.statement(op1, op2, result, character);
        List<String> choices = QuirkyTask.CHOICES;
        if (o.path("choices").isArray() && o.get("choices").size() == 2)
            choices = List.of(o.get("choices").get(0).asText(), o.get("choices").get(1).asText());
        return new QuirkyRecord(o.path("id").isMissingNode() ? index : index, character, op1, op2, result,
                bit(o, "label"), bit(o, "alice_label"), bit(o, "bob_label"), o.path("difficulty").asLong(0),
                Double.parseDouble(text(o, "difficulty_quantile", "0.5")), statement, choices);
    }

    private static String text(JsonNode o, String k, String dflt) {
        return o.hasNonNull(k) ? o.get(k).asText() : dflt;
    }

    private static int bit(JsonNode o, String k) {
        if (!o.hasNonNull(k)) throw new IllegalArgumentException("missing column " + k);
        String v = o.get(k).asText();
        return switch (v) {
            case "1", "1.0", "true", "True" -> 1;
            case "0", "0.0", "false", "False" -> 0;
            default -> throw new IllegalArgumentException(k + " must be 0/1 or true/false, got " + Arrays.toString(new String[]{v}));
        };
    }
}
