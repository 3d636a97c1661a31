package dev.userservice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every {@code AWS::Serverless::Function} of template.yaml: its name, jar, handler class and sample event. */
record Functions(List<Function> all) {

    record Function(String name, Path jar, String handlerClass, Path sampleEvent) {
        boolean hasSample() {
            return Files.isRegularFile(sampleEvent);
        }
    }

    private static final Pattern RESOURCE = Pattern.compile("(?m)^  ([A-Za-z0-9]+):\\s*\\n    Type: AWS::Serverless::Function\\b");
    private static final Pattern CODE_URI = Pattern.compile("(?m)^      CodeUri:\\s*(\\S+)");
    private static final Pattern HANDLER = Pattern.compile("(?m)^      Handler:\\s*(\\S+)");

    static Functions load(Path root) {
        String template;
        try {
            template = Files.readString(root.resolve("template.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Function> functions = new ArrayList<>();
        Matcher resource = RESOURCE.matcher(template);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (resource.find()) {
            names.add(resource.group(1));
            spans.add(new int[] {resource.start(), template.length()});
        }
        for (int i = 0; i < spans.size(); i++) {
            int end = template.indexOf("\n  ", spans.get(i)[0] + 3);
            // The block ends at the next top-level resource (two-space indentation followed by a name).
            Matcher next = Pattern.compile("(?m)^  [A-Za-z0-9]+:").matcher(template);
            end = next.find(spans.get(i)[0] + 3) ? next.start() : template.length();
            String block = template.substring(spans.get(i)[0], end);
            Matcher codeUri = CODE_URI.matcher(block);
            Matcher handler = HANDLER.matcher(block);
            if (!codeUri.find() || !handler.find()) {
                continue;
            }
            String name = names.get(i);
            functions.add(new Function(name, root.resolve(codeUri.group(1)), handler.group(1).replace("::handleRequest", ""),
                    root.resolve("events").resolve(sampleName(name))));
        }
        return new Functions(List.copyOf(functions));
    }

    /** GetCurrentUserFunction: get-current-user.json. */
    static String sampleName(String function) {
        String stem = function.endsWith("Function") ? function.substring(0, function.length() - "Function".length()) : function;
        return stem.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT) + ".json";
    }
}
