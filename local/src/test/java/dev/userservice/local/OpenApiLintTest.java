package dev.userservice.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code openapi.yaml} as the tools that clients build on read it: Redocly's CLI under {@code redocly.yaml}
 * (recommended rules, not one error or warning) and {@code @apidevtools/swagger-parser} (validated and
 * dereferenced), both run by {@code local/lint-openapi} at the versions of {@code local/openapi-lint/package-lock.json},
 * as {@code .ci/run} runs them. Skipped, with the script's reason, where Node.js 20.19+ or the npm registry is
 * missing.
 */
class OpenApiLintTest {
    private static final Path REPO = TemplateContractTest.repositoryRoot();
    private static final int TOOLS_UNAVAILABLE = 3;
    /** A file name Redocly prints before its findings, and one finding: "  12:5  error  rule-id  message". */
    private static final Pattern FILE_HEADER = Pattern.compile("^(\\S.*\\.(?:yaml|json)):$");
    private static final Pattern FINDING = Pattern.compile("^\\s+\\d+:\\d+\\s+(error|warning)\\s+(\\S+)\\s+.*$");

    /**
     * One run lints the document and copies broken as a change could break it, each of which must be reported:
     * a public operation without its explicit {@code security: []}, an example its own schema refuses, and a
     * {@code $ref} to nothing.
     */
    @Test
    @SuppressWarnings("unchecked")
    void openApiYamlPassesRedoclyAndSwaggerParserWhichReportBrokenCopies(@TempDir Path dir) throws IOException, InterruptedException {
        Map<String, Consumer<Map<String, Object>>> breakages = new LinkedHashMap<>();
        breakages.put("public-operation-without-security.yaml", document -> {
            Map<String, Object> operation = operations(document).stream()
                    .filter(candidate -> "public".equals(candidate.get("x-auth")) && List.of().equals(candidate.get("security")))
                    .findFirst().orElseThrow(() -> new AssertionError("openapi.yaml has no public operation with security: []"));
            operation.remove("security");
        });
        breakages.put("example-not-matching-its-schema.yaml", document -> {
            Map<String, Object> example = (Map<String, Object>) at(document,
                    "components", "requestBodies", "Register", "content", "application/json", "examples", "minimal", "value");
            example.put("nickname", "Al");
        });
        breakages.put("reference-to-nothing.yaml", document -> {
            Map<String, Object> responses = (Map<String, Object>) operations(document).get(0).get("responses");
            responses.replace(responses.keySet().iterator().next(), Map.of("$ref", "#/components/responses/NoSuchResponse"));
        });
        List<String> command = new ArrayList<>(List.of("bash", REPO.resolve("local/lint-openapi").toString(), REPO.resolve("openapi.yaml").toString()));
        for (var breakage : breakages.entrySet()) {
            Map<String, Object> copy = openApi();
            breakage.getValue().accept(copy);
            try (Writer writer = Files.newBufferedWriter(dir.resolve(breakage.getKey()), StandardCharsets.UTF_8)) {
                new Yaml().dump(copy, writer);
            }
            command.add(dir.resolve(breakage.getKey()).toString());
        }

        Process lint = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        lint.getOutputStream().close();
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(lint.waitFor(5, TimeUnit.MINUTES), "local/lint-openapi did not finish");
        System.out.println(output);
        Assumptions.assumeFalse(lint.exitValue() == TOOLS_UNAVAILABLE, () -> "skipped: " + output.strip().lines().reduce((a, b) -> b).orElse(""));

        Map<String, List<String>> rulesByFile = redoclyFindings(output);
        assertEquals(List.of(), rulesByFile.getOrDefault("openapi.yaml", List.of()), () -> "Redocly's findings in openapi.yaml:\n" + output);
        assertTrue(output.contains("swagger-parser: " + REPO.resolve("openapi.yaml") + ": valid and dereferenced"),
                () -> "swagger-parser cannot read openapi.yaml:\n" + output);
        Map<String, String> expectedRule = Map.of(
                "public-operation-without-security.yaml", "security-defined",
                "example-not-matching-its-schema.yaml", "no-invalid-media-type-examples",
                "reference-to-nothing.yaml", "no-unresolved-refs");
        expectedRule.forEach((copy, rule) -> assertTrue(rulesByFile.getOrDefault(copy, List.of()).contains(rule),
                () -> "Redocly did not report " + rule + " in " + copy + ":\n" + output));
        assertFalse(output.contains("swagger-parser: " + dir.resolve("reference-to-nothing.yaml") + ": valid"),
                () -> "swagger-parser read a document with a $ref to nothing:\n" + output);
        assertEquals(1, lint.exitValue(), "local/lint-openapi's exit status with broken copies among its documents");
    }

    /** The rule ids Redocly reported, by the name of the file they are in. */
    private static Map<String, List<String>> redoclyFindings(String output) {
        Map<String, List<String>> rulesByFile = new LinkedHashMap<>();
        String file = null;
        for (String line : output.lines().toList()) {
            Matcher header = FILE_HEADER.matcher(line);
            Matcher finding = FINDING.matcher(line);
            if (header.matches()) {
                file = Path.of(header.group(1)).getFileName().toString();
            } else if (finding.matches() && file != null) {
                rulesByFile.computeIfAbsent(file, name -> new ArrayList<>()).add(finding.group(2));
            }
        }
        return rulesByFile;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> operations(Map<String, Object> document) {
        List<Map<String, Object>> operations = new ArrayList<>();
        ((Map<String, Object>) document.get("paths")).values().forEach(item -> ((Map<String, Object>) item).forEach((key, value) -> {
            if (TemplateContractTest.HTTP_METHODS.contains(key)) {
                operations.add((Map<String, Object>) value);
            }
        }));
        return operations;
    }

    private static Object at(Map<String, Object> document, String... keys) {
        Object node = document;
        for (String key : keys) {
            node = node instanceof Map<?, ?> map ? map.get(key) : null;
        }
        assertTrue(node != null, () -> "openapi.yaml has no " + String.join(" / ", keys));
        return node;
    }

    private static Map<String, Object> openApi() throws IOException {
        try (Reader reader = Files.newBufferedReader(REPO.resolve("openapi.yaml"), StandardCharsets.UTF_8)) {
            return new Yaml().load(reader);
        }
    }
}
