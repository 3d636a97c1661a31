package dev.userservice.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** ScheduleTriggerTest's function: records the events it is given. */
public final class RecordingScheduleHandler implements RequestStreamHandler {
    static final Queue<Map<String, Object>> EVENTS = new ConcurrentLinkedQueue<>();

    public RecordingScheduleHandler(Map<String, String> environment) {}

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EVENTS.add(Json.parseObject(new String(input.readAllBytes(), StandardCharsets.UTF_8)));
    }
}
