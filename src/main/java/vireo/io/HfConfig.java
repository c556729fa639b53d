package vireo.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A Hugging Face {@code config.json} (or any flat-ish JSON settings file) with typed getters. Required getters
 * throw an {@link InvalidFileException} naming the file and the key; defaulted ones fall back only when the key is
 * absent or null — a value of the wrong type is always an error, never silently replaced.
 */
public final class HfConfig {
    private final Path path;
    private final ObjectNode root;

    private HfConfig(Path path, ObjectNode root) {
        this.path = path;
        this.root = root;
    }

    public static HfConfig read(Path path) {
        try {
            if (Files.isDirectory(path)) path = path.resolve("config.json");
            if (Files.size(path) > SafeTensors.MAX_HEADER) throw new InvalidFileException(path, "config file is implausibly large");
            JsonNode n = SafeTensors.JSON.readTree(InputFile.readAllBytes(path));
            if (!(n instanceof ObjectNode o)) throw new InvalidFileException(path, "config is not a JSON object");
            return new HfConfig(path, o);
        } catch (JsonProcessingException e) {
            throw new InvalidFileException(path, "not valid JSON: " + e.getOriginalMessage());
        } catch (NoSuchFileException e) {
            throw new InvalidFileException(path, "no such file");
        } catch (IOException e) {
            throw new InvalidFileException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    /** A config held in memory (tests, configs embedded in other files). */
    public static HfConfig of(Path source, ObjectNode root) { return new HfConfig(source, root); }

    public Path path() { return path; }

    /** The underlying JSON object. */
    public JsonNode raw() { return root; }

    /** True when {@code name} is present and not null. */
    public boolean has(String name) {
        JsonNode v = root.get(name);
        return v != null && !v.isNull();
    }

    /** A nested object, e.g. {@code text_config} of a multimodal model, as its own config. */
    public HfConfig section(String name) {
        JsonNode v = required(name);
        if (!(v instanceof ObjectNode o)) throw wrongType(name, "an object", v);
        return new HfConfig(path, o);
    }

    public int getInt(String name) { return toInt(name, required(name)); }

    public int getInt(String name, int dflt) { return has(name) ? toInt(name, root.get(name)) : dflt; }

    public long getLong(String name) { return toLong(name, required(name)); }

    public long getLong(String name, long dflt) { return has(name) ? toLong(name, root.get(name)) : dflt; }

    public double getDouble(String name) { return toDouble(name, required(name)); }

    public double getDouble(String name, double dflt) { return has(name) ? toDouble(name, root.get(name)) : dflt; }

    public String getString(String name) { return toStr(name, required(name)); }

    public String getString(String name, String dflt) { return has(name) ? toStr(name, root.get(name)) : dflt; }

    public boolean getBool(String name) { return toBool(name, required(name)); }

    public boolean getBool(String name, boolean dflt) { return has(name) ? toBool(name, root.get(name)) : dflt; }

    private JsonNode required(String name) {
        if (!has(name)) throw new InvalidFileException(path, "missing required key '" + name + "'");
        return root.get(name);
    }

    private InvalidFileException wrongType(String name, String want, JsonNode v) {
        String shown = v.toString();
        if (shown.length() > 40) shown = shown.substring(0, 37) + "...";
        return new InvalidFileException(path, "key '" + name + "' should be " + want + ", found " + shown);
    }

    private int toInt(String name, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw wrongType(name, "an integer", v);
        return v.intValue();
    }

    private long toLong(String name, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw wrongType(name, "an integer", v);
        return v.longValue();
    }

    private double toDouble(String name, JsonNode v) {
        if (!v.isNumber()) throw wrongType(name, "a number", v);
        return v.doubleValue();
    }

    private String toStr(String name, JsonNode v) {
        if (!v.isTextual()) throw wrongType(name, "a string", v);
        return v.textValue();
    }

    private boolean toBool(String name, JsonNode v) {
        if (!v.isBoolean()) throw wrongType(name, "true or false", v);
        return v.booleanValue();
    }

    @Override
    public String toString() { return path + " " + root; }
}
