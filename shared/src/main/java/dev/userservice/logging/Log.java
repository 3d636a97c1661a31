package dev.userservice.logging;

import dev.userservice.json.Instants;
import dev.userservice.json.Json;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured logs: one JSON object per line on standard output, which Lambda ships to CloudWatch as is.
 * Callers pass fields, never request bodies or headers, so secrets and raw tokens cannot reach the log.
 */
public final class Log {
    private static volatile PrintStream out = System.out;

    private Log() {}

    public static void info(String message, Map<String, Object> fields) {
        write("INFO", message, fields, null);
    }

    public static void warn(String message, Map<String, Object> fields) {
        write("WARN", message, fields, null);
    }

    public static void error(String message, Map<String, Object> fields, Throwable failure) {
        write("ERROR", message, fields, failure);
    }

    /** Sends the log to another stream, for the local runner's quiet mode and for tests. */
    public static void redirect(PrintStream stream) {
        out = stream;
    }

    private static void write(String level, String message, Map<String, Object> fields, Throwable failure) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instants.format(Instant.now()));
        line.put("level", level);
        line.put("message", message);
        line.putAll(fields);
        if (failure != null) {
            line.put("error_type", failure.getClass().getName());
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            line.put("stack_trace", trace.toString());
        }
        String text = Json.write(line);
        PrintStream target = out;
        synchronized (target) {
            target.println(text);
        }
    }
}
