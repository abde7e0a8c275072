package org.mptcpstate.testing;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Parses the documents mptcpstate prints and the JSON iproute2 prints, into Jackson trees. */
public final class Documents {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private Documents() {}

    public static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    public static JsonNode yaml(String text) {
        return YAML.readTree(text);
    }

    /** The elements of an array node ({@code []} for a missing node). */
    public static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(out::add);
        }
        return out;
    }

    /** The strings of an array node, in order. */
    public static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode node : elements(array)) {
            out.add(node.isString() ? node.asString() : node.toString());
        }
        return out;
    }

    public static Set<String> stringSet(JsonNode array) {
        return new LinkedHashSet<>(strings(array));
    }
}
