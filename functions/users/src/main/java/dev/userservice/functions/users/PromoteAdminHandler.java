package dev.userservice.functions.users;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** PLACEHOLDER: being written. */
public final class PromoteAdminHandler implements RequestStreamHandler {
    public PromoteAdminHandler() {
        this(System.getenv());
    }

    public PromoteAdminHandler(Map<String, String> environment) {
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        throw new UnsupportedOperationException("being written");
    }
}
