package dev.userservice.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** QueueTriggerTest's consumer: records what it is given and fails every message whose body says "bad". */
public final class RecordingQueueHandler implements RequestStreamHandler {
    static final Queue<String> PROCESSED = new ConcurrentLinkedQueue<>();
    static final Queue<String> FAILED_RECEIVES = new ConcurrentLinkedQueue<>();

    public RecordingQueueHandler(Map<String, String> environment) {}

    @Override
    @SuppressWarnings("unchecked")
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Map<String, Object> event = Json.parseObject(new String(input.readAllBytes(), StandardCharsets.UTF_8));
        List<Map<String, String>> failures = new ArrayList<>();
        for (Object item : (List<Object>) event.get("Records")) {
            Map<String, Object> record = (Map<String, Object>) item;
            String body = (String) record.get("body");
            if (body.contains("bad")) {
                FAILED_RECEIVES.add(body);
                failures.add(Map.of("itemIdentifier", (String) record.get("messageId")));
            } else {
                PROCESSED.add(body);
            }
        }
        output.write(Json.writeBytes(Map.of("batchItemFailures", failures)));
    }
}
