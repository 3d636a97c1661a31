package dev.userservice.local.e2e;

import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The metrics lines (CloudWatch's embedded metric format) a function logs while some requests run. */
final class MetricsLines {
    private MetricsLines() {}

    static List<Map<String, Object>> of(String function, Runnable requests) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            requests.run();
        } finally {
            Log.redirect(System.out);
        }
        return captured.toString(StandardCharsets.UTF_8).lines()
                .map(Json::parseObject)
                .filter(line -> line.containsKey("_aws") && function.equals(line.get("FunctionName")))
                .toList();
    }
}
