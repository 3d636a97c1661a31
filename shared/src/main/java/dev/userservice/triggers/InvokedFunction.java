package dev.userservice.triggers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.concurrency.InvocationDeadline;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.http.Envelope;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import dev.userservice.snapstart.SnapStartFunction;
import dev.userservice.snapstart.Wiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The kernel of a function invoked directly (by an operator, a schedule or Secrets Manager): reads the event, a
 * JSON object, calls {@link #answer} and writes what it returns as JSON. A refusal ({@link ServiceException}, or
 * an event that is not a JSON object) is answered with the error envelope HTTP clients get, the one mapping of a
 * refusal; any other failure propagates, so Lambda reports a function error and the invoker may retry.
 */
public abstract class InvokedFunction extends SnapStartFunction implements RequestStreamHandler {

    protected InvokedFunction(Wiring wiring) {
        super(wiring);
    }

    /** The answer to one event; {@code context} is null when a test or priming calls. */
    protected abstract Object answer(Map<String, Object> event, Context context);

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Log.beginInvocation(context);
        InvocationDeadline.begin(context);
        try {
            Json.write(answerTo(input.readAllBytes(), context), output);
        } finally {
            InvocationDeadline.end();
            Log.endInvocation();
        }
    }

    /** One event through the whole kernel, as {@link #handleRequest} and priming run it. */
    protected final Object answerTo(byte[] event, Context context) {
        try {
            return answer(object(event), context);
        } catch (ServiceException refused) {
            return Envelope.error(refused);
        }
    }

    private static Map<String, Object> object(byte[] event) {
        try {
            return Json.parseObject(new String(event, java.nio.charset.StandardCharsets.UTF_8));
        } catch (Json.MalformedJsonException e) {
            throw new ServiceException(ErrorCode.MALFORMED_JSON, "The event must be a JSON object");
        }
    }
}
