package dev.userservice.triggers;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import dev.userservice.concurrency.InvocationDeadline;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import dev.userservice.http.Envelope;
import dev.userservice.json.Json;
import dev.userservice.snapstart.Wiring;
import dev.userservice.testing.LambdaContexts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InvokedFunctionTest {

    /** Answers {@code {"hello": name}}; refuses a missing name; fails on "boom". */
    private static final class Greeter extends InvokedFunction {
        Greeter() {
            super(Wiring.none());
        }

        @Override
        protected Object answer(Map<String, Object> event, Context context) {
            Object name = event.get("name");
            if (name == null) {
                throw ServiceException.validation("name", "is required");
            }
            if (name.equals("boom")) {
                throw new IllegalStateException("boom");
            }
            if (name.equals("deadline")) {
                return Map.of("left_ms", InvocationDeadline.left().map(Duration::toMillis).orElse(-1L));
            }
            return Map.of("hello", name);
        }

        @Override
        protected void prime() {
            answerTo("{}".getBytes(UTF_8), null);
        }
    }

    /** A call or retry loop inside the invocation must end a second before it does, and outside one none is set. */
    @Test
    void theInvocationsCallsMustEndBeforeItDoes() throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        new Greeter().handleRequest(new ByteArrayInputStream("{\"name\": \"deadline\"}".getBytes(UTF_8)), output,
                LambdaContexts.withRemaining(5_000));

        long left = ((Number) Json.parseObject(output.toString(UTF_8)).get("left_ms")).longValue();
        assertTrue(left > 3_500 && left <= 5_000 - InvocationDeadline.ANSWER_TIME.toMillis(), "left: " + left);
        assertEquals(Optional.empty(), InvocationDeadline.left(), "none once the invocation is over");
    }

    @Test
    void anEventIsAnsweredWithWhatTheFunctionReturns() throws IOException {
        assertEquals(Map.of("hello", "ada"), invoke("{\"name\": \"ada\"}"));
    }

    @Test
    void aRefusalIsAnsweredWithTheErrorEnvelopeHttpClientsGet() throws IOException {
        assertEquals(Json.parseObject(Json.write(Envelope.error(ErrorCode.VALIDATION_FAILED,
                ErrorCode.VALIDATION_FAILED.defaultMessage(), List.of(new FieldError("name", "is required"))))), invoke("{}"));
    }

    @Test
    void anEventThatIsNotAJsonObjectIsRefusedAsMalformedJson() throws IOException {
        for (String event : List.of("[1]", "{not json", "")) {
            Map<String, Object> answer = invoke(event);
            assertEquals("malformed_json", answer.get("error"), event);
            assertEquals(false, answer.get("success"), event);
        }
    }

    @Test
    void anUnexpectedFailurePropagatesSoLambdaReportsAFunctionError() {
        assertThrows(IllegalStateException.class, () -> invoke("{\"name\": \"boom\"}"));
    }

    private static Map<String, Object> invoke(String event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        new Greeter().handleRequest(new ByteArrayInputStream(event.getBytes(UTF_8)), output, null);
        return Json.parseObject(output.toString(UTF_8));
    }
}
