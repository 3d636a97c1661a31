package dev.userservice.bench.reference;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What Lambda's Java runtime does around a {@code RequestHandler} of event objects: reads the event's JSON into the
 * event class and writes the answer object back as JSON, both with Jackson. The benchmark's launcher calls every
 * function through its byte streams, so the reference's deserialisation is done here, in the measured JVM, as the
 * runtime would do it in Lambda (the service's own functions take the bytes themselves).
 */
public class RuntimeSerialization implements RequestStreamHandler {
    private final GetProductByIdHandler handler = new GetProductByIdHandler();
    private final ObjectMapper events = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        APIGatewayV2HTTPEvent event = events.readValue(input, APIGatewayV2HTTPEvent.class);
        events.writeValue(output, handler.handleRequest(event, context));
    }
}
