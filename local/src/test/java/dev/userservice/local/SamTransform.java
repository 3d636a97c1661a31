package dev.userservice.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code template.yaml} after the {@code AWS::Serverless} transform, as CloudFormation runs it at deploy time with
 * the stack's parameter values, and the {@code DeploymentFingerprint} that {@code ./deploy} would pass with them.
 * Both run outside the JVM: the transform in Python ({@code sam_transform.py}, with the samtranslator package that
 * cfn-lint brings), the fingerprint in bash. Where either is missing, the calling test is skipped, never failed.
 */
final class SamTransform {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Map<String, String>, JsonNode> TRANSFORMED = new ConcurrentHashMap<>();

    private SamTransform() {}

    /** The transformed template for these parameter values (the others keep their defaults). */
    static JsonNode of(Path repository, Map<String, String> parameters) {
        return TRANSFORMED.computeIfAbsent(Map.copyOf(parameters), values -> {
            String output = run(repository, List.of("python3", script().toString(), "template.yaml", json(values)),
                    "python3 with samtranslator (pip install cfn-lint)");
            try {
                return JSON.readTree(output);
            } catch (IOException e) {
                throw new UncheckedIOException("sam_transform.py printed no JSON", e);
            }
        });
    }

    /**
     * A CloudWatch metric-math expression's value for these metrics' values, evaluated by Python, whose arithmetic and
     * comparisons read as metric math's do; its {@code IF} is a function here, so both branches must be defined.
     */
    static double metricMath(String expression, Map<String, Double> metrics) {
        StringBuilder program = new StringBuilder("def IF(condition, then, otherwise):\n    return then if condition else otherwise\n");
        metrics.forEach((id, value) -> program.append(id).append(" = ").append(value).append('\n'));
        program.append("print(float(").append(expression).append("))\n");
        return Double.parseDouble(run(Path.of(System.getProperty("java.io.tmpdir")), List.of("python3", "-c", program.toString()), "python3")
                .strip());
    }

    /**
     * The parameter values {@code ./deploy --parameter-overrides} would pass for {@code parameters} (and the script's
     * {@code options}): those, and the fingerprint the script computes from them, the template and the jars.
     */
    static Map<String, String> deployed(Path repository, Map<String, String> parameters, String... options) {
        List<String> command = new ArrayList<>(List.of("bash", "deploy", "--print-fingerprint", "--parameter-overrides", overrides(parameters)));
        command.addAll(List.of(options));
        String fingerprint = run(repository, command, "bash").strip();
        Map<String, String> values = new TreeMap<>(parameters);
        values.put("DeploymentFingerprint", fingerprint);
        return values;
    }

    /**
     * The arguments {@code ./deploy} gives {@code sam deploy}, one per element, read from a stand-in {@code sam} put
     * first on the script's {@code PATH}. The repository needs a built jar, as the script does.
     */
    static List<String> samDeployArguments(Path repository, String... options) {
        Path bin;
        try {
            bin = Files.createTempDirectory("stand-in-sam");
            Path sam = Files.writeString(bin.resolve("sam"), "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
            sam.toFile().setExecutable(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of("bash", "deploy"));
        command.addAll(List.of(options));
        String output = run(repository, command, Map.of("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH")), "bash");
        return output.lines().toList();
    }

    /** {@code --parameter-overrides}' value for these parameters, as samconfig.toml writes it: {@code Name="value"}. */
    static String overrides(Map<String, String> parameters) {
        return new TreeMap<>(parameters).entrySet().stream()
                .map(entry -> entry.getKey() + "=\"" + entry.getValue() + "\"")
                .collect(Collectors.joining(" "));
    }

    /** The resources of one type in a transformed template, by logical id. */
    static Map<String, JsonNode> resourcesOfType(JsonNode template, String type) {
        Map<String, JsonNode> matching = new TreeMap<>();
        template.path("Resources").properties().forEach(entry -> {
            if (type.equals(entry.getValue().path("Type").asText())) {
                matching.put(entry.getKey(), entry.getValue());
            }
        });
        return matching;
    }

    private static String run(Path repository, List<String> command, String needed) {
        return run(repository, command, Map.of(), needed);
    }

    private static String run(Path repository, List<String> command, Map<String, String> environment, String needed) {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(repository.toFile());
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            Assumptions.abort(needed + " is not available: " + e.getMessage());
            throw new AssertionError(e);
        }
        try {
            process.getOutputStream().close();
            var stderr = new java.io.ByteArrayOutputStream();
            Thread drain = Thread.ofVirtual().start(() -> {
                try {
                    process.getErrorStream().transferTo(stderr);
                } catch (IOException ignored) {
                    // the exit status tells
                }
            });
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
            }
            drain.join();
            int status = process.exitValue();
            String errors = stderr.toString(StandardCharsets.UTF_8);
            Assumptions.assumeFalse(status == 3 || (status == 127 && errors.isBlank()), needed + " is not available: " + errors);
            if (status != 0) {
                throw new AssertionError(String.join(" ", command.subList(0, 2)) + " failed (" + status + "):\n" + errors);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Path script() {
        try {
            Path script = Path.of(SamTransform.class.getResource("/sam_transform.py").toURI());
            if (!Files.isRegularFile(script)) {
                throw new IllegalStateException("sam_transform.py is missing from the test resources");
            }
            return script;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Map<String, String> values) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(values));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The functions whose version logical id is the same in both transforms (function id to version id). */
    static List<String> unchanged(Map<String, String> before, Map<String, String> after) {
        List<String> same = new ArrayList<>();
        before.forEach((function, version) -> {
            if (version.equals(after.get(function))) {
                same.add(function + " (" + version + ")");
            }
        });
        return same;
    }
}
