package dev.userservice.logging;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.userservice.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** The log lines written while a test runs, parsed; {@link #close} sends the log back to standard output. */
public final class CapturedLog implements AutoCloseable {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    public CapturedLog() {
        Log.redirect(new PrintStream(captured, true, UTF_8));
    }

    public String text() {
        return captured.toString(UTF_8);
    }

    public List<Map<String, Object>> lines() {
        return text().lines().map(Json::parseObject).toList();
    }

    /** The one line with this message. */
    public Map<String, Object> line(String message) {
        List<Map<String, Object>> matching = lines().stream().filter(line -> message.equals(line.get("message"))).toList();
        if (matching.size() != 1) {
            throw new AssertionError("Expected one log line '" + message + "' in:\n" + text());
        }
        return matching.getFirst();
    }

    @Override
    public void close() {
        Log.redirect(System.out);
    }
}
