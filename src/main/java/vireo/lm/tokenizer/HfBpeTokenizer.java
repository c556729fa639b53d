package vireo.lm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import vireo.io.InvalidFileException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte-level BPE from a Hugging Face {@code tokenizer.json} (GPT-2 / GPT-NeoX / Llama 3 style): special tokens are cut
 * out first, the rest is split by the pre-tokenizer's regex, each piece's UTF-8 bytes are mapped to printable
 * characters (GPT-2's byte↔unicode table) and merged pairwise by merge rank.
 */
public final class HfBpeTokenizer implements Tokenizer {
    /** GPT-2's pre-tokenizer (ByteLevel with use_regex), used by GPT-NeoX and Mamba. */
    static final String GPT2_SPLIT = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private final Map<String, Integer> vocab;
    private final String[] pieces; // id → byte-level string
    private final Map<String, Integer> mergeRank = new HashMap<>();
    private final Pattern split;
    private final boolean ignoreMerges;
    private final boolean addPrefixSpace;
    private final Map<String, Integer> specials = new LinkedHashMap<>();
    private final Pattern specialPattern;
    private final int bos, eos;
    private final boolean addsBos;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        // GPT-2: printable Latin-1 bytes map to themselves, the other 68 to U+0100 onwards
        Arrays.fill(CHAR_TO_BYTE, -1);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + n++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private HfBpeTokenizer(Path file, JsonNode root, JsonNode config) {
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asText("BPE")) || !model.has("vocab"))
            throw new InvalidFileException(file, "only byte-level BPE tokenizers are supported (model.type " + model.path("type").asText() + ")");
        vocab = new HashMap<>();
        int max = -1;
        for (var it = model.get("vocab").fields(); it.hasNext(); ) {
            var e = it.next();
            vocab.put(e.getKey(), e.getValue().asInt());
            max = Math.max(max, e.getValue().asInt());
        }
        for (JsonNode t : root.path("added_tokens")) {
            vocab.put(t.get("content").asText(), t.get("id").asInt());
            max = Math.max(max, t.get("id").asInt());
            specials.put(t.get("content").asText(), t.get("id").asInt());
        }
        pieces = new String[max + 1];
        vocab.forEach((k, v) -> pieces[v] = k);
        int rank = 0;
        for (JsonNode m : model.path("merges")) {
            String pair = m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText();
            mergeRank.putIfAbsent(pair, rank++);
        }
        ignoreMerges = model.path("ignore_merges").asBoolean(false);
        String regex = null;
        boolean prefix = false;
        List<JsonNode> pre = new ArrayList<>();
        JsonNode p = root.path("pre_tokenizer");
        if (p.path("type").asText().equals("Sequence")) p.path("pretokenizers").forEach(pre::add);
        else if (!p.isMissingNode() && !p.isNull()) pre.add(p);
        for (JsonNode step : pre) {
            switch (step.path("type").asText()) {
                case "Split" -> regex = step.path("pattern").path("Regex").asText(null);
                case "ByteLevel" -> {
                    prefix = step.path("add_prefix_space").asBoolean(false);
                    if (step.path("use_regex").asBoolean(true) && regex == null) regex = GPT2_SPLIT;
                }
                default -> throw new InvalidFileException(file, "pre-tokenizer " + step.path("type").asText() + " is not supported");
            }
        }
        addPrefixSpace = prefix;
        split = Pattern.compile(regex == null ? GPT2_SPLIT : regex, Pattern.UNICODE_CHARACTER_CLASS);
        specialPattern = specials.isEmpty() ? null : Pattern.compile(String.join("|",
                specials.keySet().stream().sorted((a, b) -> b.length() - a.length()).map(Pattern::quote).toList()));
        bos = specialId(config, "bos_token", "<|begin_of_text|>", "<s>", "<|startoftext|>");
        eos = specialId(config, "eos_token", "<|eot_id|>", "<|end_of_text|>", "</s>", "<|endoftext|>");
        addsBos = bos >= 0 && postProcessorAdds(root.path("post_processor"), pieces[bos]);
    }

    /** Whether a post-processor (TemplateProcessing, possibly inside a Sequence) puts {@code token} in a single sequence. */
    private static boolean postProcessorAdds(JsonNode pp, String token) {
        if (pp.path("type").asText().equals("Sequence")) {
            for (JsonNode q : pp.path("processors")) if (postProcessorAdds(q, token)) return true;
            return false;
        }
        if (!pp.path("type").asText().equals("TemplateProcessing")) return false;
        for (JsonNode piece : pp.path("single"))
            if (token.equals(piece.path("SpecialToken").path("id").asText(null))) return true;
        return false;
    }

    private int specialId(JsonNode config, String key, String... fallbacks) {
        JsonNode t = config == null ? null : config.get(key);
        if (t != null && t.isObject()) t = t.get("content");
        if (t != null && t.isTextual() && vocab.containsKey(t.asText())) return vocab.get(t.asText());
        for (String f : fallbacks) if (vocab.containsKey(f)) return vocab.get(f);
        return -1;
    }

    /** Reads {@code tokenizer.json} (a file, or a folder holding it and optionally tokenizer_config.json). */
    public static HfBpeTokenizer read(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        Path cfg = file.toAbsolutePath().getParent().resolve("tokenizer_config.json");
        ObjectMapper json = new ObjectMapper();
        try {
            if (!Files.exists(file)) throw new InvalidFileException(file, "no such file");
            JsonNode root = json.readTree(vireo.io.InputFile.readAllBytes(file));
            JsonNode config = Files.exists(cfg) ? json.readTree(vireo.io.InputFile.readAllBytes(cfg)) : null;
            return new HfBpeTokenizer(file, root, config);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidFileException(file, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidFileException(file, "cannot read: " + e.getMessage());
        }
    }

    @Override public int vocabSize() { return pieces.length; }
    @Override public int bos() { return bos; }
    @Override public boolean addsBos() { return addsBos; }
    @Override public int eos() { return eos; }
    @Override public int idOf(String piece) {
        Integer id = vocab.get(piece);
        if (id != null) return id;
        int[] ids = encode(piece, false);
        return ids.length == 1 ? ids[0] : -1;
    }

    @Override
    public int[] encode(String text, boolean withBos) {
        List<Integer> out = new ArrayList<>();
        if (withBos && bos >= 0) out.add(bos);
        if (addPrefixSpace && !text.startsWith(" ")) text = " " + text;
        int from = 0;
        if (specialPattern != null) {
            Matcher sm = specialPattern.matcher(text);
            while (sm.find()) {
                encodeOrdinary(text.substring(from, sm.start()), out);
                out.add(specials.get(sm.group()));
                from = sm.end();
            }
        }
        encodeOrdinary(text.substring(from), out);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private void encodeOrdinary(String text, List<Integer> out) {
        if (text.isEmpty()) return;
        Matcher m = split.matcher(text);
        while (m.find()) {
            for (int id : cache.computeIfAbsent(m.group(), this::bpe)) out.add(id);
        }
    }

    /** Merges the byte-level characters of one pre-token by lowest merge rank until no pair merges. */
    private int[] bpe(String word) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) sb.append(BYTE_TO_CHAR[b & 0xff]);
        String mapped = sb.toString();
        if (ignoreMerges && vocab.containsKey(mapped)) return new int[]{vocab.get(mapped)};
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < mapped.length(); i++) parts.add(String.valueOf(mapped.charAt(i)));
        while (parts.size() > 1) {
            int best = Integer.MAX_VALUE, at = -1;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer r = mergeRank.get(parts.get(i) + " " + parts.get(i + 1));
                if (r != null && r < best) { best = r; at = i; }
            }
            if (at < 0) break;
            parts.set(at, parts.get(at) + parts.remove(at + 1));
        }
        int[] ids = new int[parts.size()];
        for (int i = 0; i < ids.length; i++) {
            Integer id = vocab.get(parts.get(i));
            if (id == null) throw new IllegalStateException("piece '" + parts.get(i) + "' is not in the vocabulary");
            ids[i] = id;
        }
        return ids;
    }

    @Override
    public byte[] piece(int previous, int token) {
        if (token < 0 || token >= pieces.length || pieces[token] == null) return new byte[0];
        String p = pieces[token];
        if (specials.containsKey(p)) return token == bos || token == eos ? new byte[0] : p.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(p.length());
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b >= 0) out.write(b);
            else out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
