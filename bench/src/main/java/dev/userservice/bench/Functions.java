package dev.userservice.bench;

import dev.userservice.local.Template;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Every {@code AWS::Serverless::Function} of template.yaml: its name, jar, handler class, memory and sample event. */
record Functions(List<Function> all) {
    /** Lambda's defaults when neither the function nor Globals names a size or a timeout. */
    private static final int DEFAULT_MEMORY_MB = 128;
    private static final int DEFAULT_TIMEOUT_SECONDS = 3;

    record Function(String name, Path jar, String handlerClass, int memoryMb, int timeoutSeconds, Path sampleEvent) {
        boolean hasSample() {
            return Files.isRegularFile(sampleEvent);
        }
    }

    static Functions load(Path root) {
        Template template = Template.load(root.resolve("template.yaml"));
        Map<String, Object> globals = Template.child(template.section("Globals"), "Function");
        int globalMemory = Template.integer(globals.get("MemorySize"), DEFAULT_MEMORY_MB);
        int globalTimeout = Template.integer(globals.get("Timeout"), DEFAULT_TIMEOUT_SECONDS);
        List<Function> functions = new ArrayList<>();
        template.resourcesOfType("AWS::Serverless::Function").forEach((name, resource) -> {
            Map<String, Object> properties = Template.properties(resource);
            String handler = String.valueOf(properties.get("Handler"));
            functions.add(new Function(name, root.resolve(String.valueOf(properties.get("CodeUri"))),
                    handler.replace("::handleRequest", ""), Template.integer(properties.get("MemorySize"), globalMemory),
                    Template.integer(properties.get("Timeout"), globalTimeout), root.resolve("events").resolve(sampleName(name))));
        });
        return new Functions(List.copyOf(functions));
    }

    /** GetCurrentUserFunction: get-current-user.json. */
    static String sampleName(String function) {
        String stem = function.endsWith("Function") ? function.substring(0, function.length() - "Function".length()) : function;
        return stem.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT) + ".json";
    }
}
