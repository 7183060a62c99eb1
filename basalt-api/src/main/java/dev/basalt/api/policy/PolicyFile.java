package dev.basalt.api.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a policy file as oslo.policy does: YAML (so JSON too) mapping rule names to check strings,
 * e.g. {@code "volume:create": "rule:admin_api"}. A name without a string refuses the file.
 */
public final class PolicyFile {
    private static final YAMLMapper YAML = new YAMLMapper();

    private PolicyFile() {
    }

    /** The rules in {@code file}; an empty file has none. */
    public static Map<String, String> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new PolicyException(file + ": cannot read the policy file (" + e.getMessage() + ")", e);
        }
    }

    /** The rules of a resource next to this class. */
    static Map<String, String> resource(String name) {
        try (InputStream in = PolicyFile.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return parse(in, name);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }

    static Map<String, String> parse(InputStream in, String origin) throws IOException {
        JsonNode root;
        try {
            root = YAML.readTree(in);
        } catch (IOException e) {
            throw new PolicyException(origin + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        Map<String, String> rules = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return rules;
        }
        if (!root.isObject()) {
            throw new PolicyException(origin + ": a policy file maps rule names to check strings");
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode value = e.getValue();
            if (!value.isTextual()) {
                throw new PolicyException(origin + ": rule \"" + e.getKey() + "\" must be a check string (quote it,"
                        + " e.g. \"role:admin\", \"!\" or \"\"), not " + (value.isNull() ? "empty" : value.toString()));
            }
            rules.put(e.getKey(), value.textValue());
        }
        return rules;
    }
}
