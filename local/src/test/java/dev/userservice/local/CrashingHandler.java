package dev.userservice.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** LocalRunnerTest's function: dies of an Error, which no handler of the service catches. */
public final class CrashingHandler implements RequestStreamHandler {
    public CrashingHandler(Map<String, String> environment) {}

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        throw new NoClassDefFoundError("dev/userservice/Missing (thrown by the test)");
    }
}
