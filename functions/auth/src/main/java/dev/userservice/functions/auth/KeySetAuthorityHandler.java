package dev.userservice.functions.auth;

import com.amazonaws.services.lambda.runtime.Context;
import dev.userservice.Services;
import dev.userservice.auth.KeySetPublication;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import dev.userservice.snapstart.Wiring;
import dev.userservice.triggers.InvokedFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The stack's custom resource {@code KeySetAuthority}, in CloudFormation's custom-resource protocol. On create and on
 * every update it makes the key-set authority unless its secret holds one, publishes the current verification keys
 * ({@link KeySetPublication#deploy}), and answers the authority's public key as the attribute {@value #PUBLIC_KEY},
 * which the template gives every function as {@code KEY_SET_AUTHORITY}. On delete it does nothing: the authority's
 * secret is retained, as the signing keys are. Whatever happens it answers at the request's response URL, because a
 * custom resource that never answers holds the stack (for the template's ServiceTimeout, five minutes, rather than
 * CloudFormation's hour); a failure, an {@link Error} too, is answered with its exception's type only, as it is logged.
 */
public final class KeySetAuthorityHandler extends InvokedFunction {
    static final String PUBLIC_KEY = "PublicKey";
    static final String PHYSICAL_ID = "key-set-authority";
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<KeySetPublication> publication;

    public KeySetAuthorityHandler() {
        this(System.getenv());
    }

    public KeySetAuthorityHandler(Map<String, String> environment) {
        this(Services.of(environment));
        primeWhenInitialisedOnDemand();
    }

    private KeySetAuthorityHandler(Services services) {
        this(services::keySetPublication, services);
    }

    KeySetAuthorityHandler(Supplier<KeySetPublication> publication, Wiring wiring) {
        super(wiring);
        this.publication = publication;
    }

    /** The authority's work in memory: nothing is read or stored, and CloudFormation is not answered. */
    @Override
    protected void prime() {
        KeySetPublication.prime();
    }

    @Override
    protected Object answer(Map<String, Object> event, Context context) {
        String requestType = String.valueOf(event.get("RequestType"));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("PhysicalResourceId", requestType.equals("Create") ? PHYSICAL_ID : event.get("PhysicalResourceId"));
        response.put("StackId", event.get("StackId"));
        response.put("RequestId", event.get("RequestId"));
        response.put("LogicalResourceId", event.get("LogicalResourceId"));
        try {
            if (!requestType.equals("Delete")) {
                response.put("Data", Map.of(PUBLIC_KEY, publication.get().deploy()));
            }
            response.put("Status", "SUCCESS");
            Log.info("key-set authority deployed", Map.of("request_type", requestType));
        } catch (RuntimeException | Error e) {
            // An Error too (a class that failed to load, memory): whatever stopped the work, CloudFormation is answered.
            response.put("Status", "FAILED");
            response.put("Reason", "The key-set authority could not be made or the keys published ("
                    + e.getClass().getSimpleName() + "); see the function's log");
            Log.error("key-set authority not deployed", Map.of("request_type", requestType), e);
        }
        answer(URI.create(String.valueOf(event.get("ResponseURL"))), Json.write(response));
        return null;
    }

    /**
     * The response, PUT to the presigned S3 URL CloudFormation gave, with no content type, which that URL's signature
     * does not cover. A response that cannot be delivered throws, so Lambda retries the invocation.
     */
    private static void answer(URI responseUrl, String response) {
        HttpRequest request = HttpRequest.newBuilder(responseUrl).timeout(RESPONSE_TIMEOUT)
                .PUT(HttpRequest.BodyPublishers.ofString(response)).build();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(RESPONSE_TIMEOUT).build()) {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 != 2) {
                throw new IllegalStateException("CloudFormation's response URL answered " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("CloudFormation's response URL could not be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while answering CloudFormation", e);
        }
    }
}
