package dev.userservice.logging;

import com.amazonaws.services.lambda.runtime.Context;
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
    /** The Lambda request id of the invocation a thread is serving, which every line it writes carries. */
    private static final ThreadLocal<String> INVOCATION = new ThreadLocal<>();

    private Log() {}

    /**
     * Marks the lines this thread writes until {@link #endInvocation} with the invocation's {@code aws_request_id},
     * so that a failure's line, a follow-up's, a busy table's, joins its request's line and Lambda's report (the
     * client's {@code X-Request-Id} alone may be reused). Without a context (a test, priming) nothing is added.
     */
    public static void beginInvocation(Context context) {
        if (context != null && context.getAwsRequestId() != null) {
            INVOCATION.set(context.getAwsRequestId());
        }
    }

    public static void endInvocation() {
        INVOCATION.remove();
    }

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
        String invocation = INVOCATION.get();
        if (invocation != null) {
            line.put("aws_request_id", invocation);
        }
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
