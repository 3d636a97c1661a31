package dev.userservice.local.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import dev.userservice.local.Template;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The request {@code KeepAliveFunction} sends every five days to each function with SnapStart, taken from the
 * template's own code and sent to each of those functions on the local runner: every one answers it without a 5xx
 * and without storing anything, so keeping the snapshots alive changes nothing and alarms nobody.
 */
class KeepAliveEndToEndTest {
    @RegisterExtension
    static final RunningService running = RunningService.start();

    private static final Template TEMPLATE = Template.load(template());

    @Test
    void everySnapStartFunctionAnswersTheKeepAliveRequestWithoutA5xxAndStoresNothing() {
        byte[] request = keepAliveRequest().getBytes(StandardCharsets.UTF_8);
        Set<String> functions = TEMPLATE.functionsWithSnapStart();
        assertTrue(functions.size() >= 30, () -> "functions with SnapStart: " + functions);
        int items = running.accounts().itemCount();

        List<String> problems = new ArrayList<>();
        for (String function : functions) {
            Map<String, Object> answer = Json.parseObject(new String(running.service().invoke(function, request), StandardCharsets.UTF_8));
            Object status = answer.get("statusCode");
            if (!(status instanceof Number code) || code.intValue() >= 500) {
                problems.add(function + " answered " + answer);
            }
        }

        assertTrue(problems.isEmpty(), () -> "The keep-alive request:\n  " + String.join("\n  ", problems));
        running.service().awaitStreamsCaughtUp();
        assertEquals(items, running.accounts().itemCount(), "items in the table after the keep-alive");
    }

    /** REQUEST in KeepAliveFunction's inline Python: a dict literal that is JSON but for Python's False. */
    private static String keepAliveRequest() {
        Map<String, Object> code = Template.child(Template.properties(TEMPLATE.resources().get("KeepAliveFunction")), "Code");
        String source = String.valueOf(code.get("ZipFile"));
        int start = source.indexOf("REQUEST = json.dumps(");
        int end = source.indexOf(").encode()", start);
        assertFalse(start < 0 || end < 0, "KeepAliveFunction's code has no REQUEST = json.dumps(...).encode()");
        String literal = source.substring(start + "REQUEST = json.dumps(".length(), end).replace("False", "false");
        return Json.write(Json.parseObject(literal));
    }

    private static Path template() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml"))) {
                return dir.resolve("template.yaml");
            }
        }
        throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath());
    }
}
