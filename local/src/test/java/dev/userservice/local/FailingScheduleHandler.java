package dev.userservice.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** ScheduleTriggerTest's failing function: counts its runs and fails every one. */
public final class FailingScheduleHandler implements RequestStreamHandler {
    static final AtomicInteger RUNS = new AtomicInteger();

    public FailingScheduleHandler(Map<String, String> environment) {}

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        RUNS.incrementAndGet();
        throw new IllegalStateException("the scheduled run fails (thrown by the test)");
    }
}
