package dev.userservice.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * {@code template.yaml} as plain maps and lists, with CloudFormation's short-form tags ({@code !Ref},
 * {@code !GetAtt}, {@code !Sub}, ...) turned into their long form ({@code {"Ref": ...}}, {@code {"Fn::GetAtt": [...]}}),
 * exactly as CloudFormation itself reads them.
 */
public record Template(Map<String, Object> root) {
    private static final List<String> FUNCTIONS = List.of(
            "Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub",
            "Transform", "And", "Equals", "If", "Not", "Or", "Length", "ToJsonString");

    public static Template load(Path path) {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            Map<String, Object> root = new Yaml(new CloudFormationConstructor()).load(reader);
            return new Template(root);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + path, e);
        }
    }

    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> resources() {
        return (Map<String, Map<String, Object>>) root.getOrDefault("Resources", Map.of());
    }

    /** The resources of one type, by logical id, in template order. */
    public Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> matching = new LinkedHashMap<>();
        resources().forEach((id, resource) -> {
            if (type.equals(resource.get("Type"))) {
                matching.put(id, resource);
            }
        });
        return matching;
    }

    /**
     * The functions whose published versions have SnapStart, by logical id: the Globals' {@code SnapStart}, unless a
     * function sets its own.
     */
    public Set<String> functionsWithSnapStart() {
        Map<String, Object> globals = child(child(section("Globals"), "Function"), "SnapStart");
        Set<String> functions = new TreeSet<>();
        resourcesOfType("AWS::Serverless::Function").forEach((id, resource) -> {
            Object applyOn = child(properties(resource), "SnapStart").getOrDefault("ApplyOn", globals.get("ApplyOn"));
            if ("PublishedVersions".equals(applyOn)) {
                functions.add(id);
            }
        });
        return functions;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }

    public Map<String, Object> section(String name) {
        return child(root, name);
    }

    /** A nested mapping, or an empty one when absent. */
    public static Map<String, Object> child(Map<String, Object> parent, String name) {
        Map<String, Object> child = asMap(parent.get(name));
        return child == null ? Map.of() : child;
    }

    /** A whole-number property, or {@code fallback} when absent. */
    public static int integer(Object value, int fallback) {
        return value == null ? fallback : Integer.parseInt(String.valueOf(value));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }

    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
            for (String function : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new Intrinsic("Fn::" + function));
            }
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String key;

            Intrinsic(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = scalar.getValue();
                    // !GetAtt Resource.Attribute is the short form of ["Resource", "Attribute"].
                    value = key.equals("Fn::GetAtt") ? List.of(text.substring(0, text.indexOf('.')), text.substring(text.indexOf('.') + 1)) : text;
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                Map<String, Object> function = new LinkedHashMap<>();
                function.put(key, value);
                return function;
            }
        }
    }
}
