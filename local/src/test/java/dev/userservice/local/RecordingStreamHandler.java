package dev.userservice.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * StreamTriggerTest's consumer: records each item's pk in order and stops at the first whose pk says "bad", naming it
 * in a partial batch response (and recording its sequence number each time).
 */
public final class RecordingStreamHandler implements RequestStreamHandler {
    static final Queue<String> PROCESSED = new ConcurrentLinkedQueue<>();
    static final Queue<String> FAILED = new ConcurrentLinkedQueue<>();

    public RecordingStreamHandler(Map<String, String> environment) {}

    @Override
    @SuppressWarnings("unchecked")
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Map<String, Object> event = Json.parseObject(new String(input.readAllBytes(), StandardCharsets.UTF_8));
        for (Object item : (List<Object>) event.get("Records")) {
            Map<String, Object> change = (Map<String, Object>) ((Map<String, Object>) item).get("dynamodb");
            String pk = (String) ((Map<String, Object>) ((Map<String, Object>) change.get("NewImage")).get("pk")).get("S");
            if (pk.contains("bad")) {
                FAILED.add((String) change.get("SequenceNumber"));
                output.write(Json.writeBytes(Map.of("batchItemFailures",
                        List.of(Map.of("itemIdentifier", (String) change.get("SequenceNumber"))))));
                return;
            }
            PROCESSED.add(pk);
        }
        output.write(Json.writeBytes(Map.of("batchItemFailures", List.of())));
    }
}
