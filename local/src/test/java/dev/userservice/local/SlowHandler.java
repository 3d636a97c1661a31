package dev.userservice.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** LocalRunnerTest's function: answers only after a minute, far past its template's one-second Timeout. */
public final class SlowHandler implements RequestStreamHandler {
    public SlowHandler(Map<String, String> environment) {}

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        output.write("{\"statusCode\":200,\"body\":\"too late\"}".getBytes(StandardCharsets.UTF_8));
    }
}
