package dev.userservice.functions.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.userservice.auth.KeySetAuthority;
import dev.userservice.auth.KeySetPublication;
import dev.userservice.auth.PublishedKeySetStore;
import dev.userservice.auth.SigningKeys;
import dev.userservice.json.Json;
import dev.userservice.secrets.FileAuthoritySecret;
import dev.userservice.secrets.FileKeyStore;
import dev.userservice.snapstart.Wiring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CloudFormation's custom-resource protocol: every request is answered at its response URL, a failure too. */
class KeySetAuthorityHandlerTest {
    @TempDir
    Path dir;

    private HttpServer cloudFormation;
    private final List<Map<String, Object>> answers = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private final List<String> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() throws IOException {
        cloudFormation = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        cloudFormation.createContext("/response", exchange -> {
            try (exchange) {
                contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
                answers.add(Json.parseObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(exchange.getRequestMethod().equals("PUT") ? 200 : 405, -1);
            }
        });
        cloudFormation.start();
    }

    @AfterEach
    void stop() {
        cloudFormation.stop(0);
    }

    @Test
    void aCreateMakesTheAuthorityPublishesTheKeysAndAnswersItsPublicKey() throws IOException {
        KeySetAuthorityHandler handler = handler(publication());

        handler.answer(request("Create", null), null);

        Map<String, Object> answer = answers.getFirst();
        assertEquals("SUCCESS", answer.get("Status"), String.valueOf(answer));
        assertEquals(KeySetAuthorityHandler.PHYSICAL_ID, answer.get("PhysicalResourceId"));
        assertEquals("KeySetAuthority", answer.get("LogicalResourceId"));
        assertEquals("request-1", answer.get("RequestId"));
        String publicKey = (String) ((Map<?, ?>) answer.get("Data")).get(KeySetAuthorityHandler.PUBLIC_KEY);
        assertEquals(KeySetAuthority.of(Files.readString(dir.resolve("authority.json"))).publicKeyJson(), publicKey);
        assertFalse(publicKey.contains("\"d\""), "no private part in the stack's outputs");
        assertEquals(1, published.size());
        assertEquals("null", contentTypes.getFirst(), "no content type, which the presigned URL does not sign");
    }

    @Test
    void anUpdateKeepsTheAuthorityAndTheResourcesIdAndPublishesAgain() {
        KeySetAuthorityHandler handler = handler(publication());
        handler.answer(request("Create", null), null);

        handler.answer(request("Update", KeySetAuthorityHandler.PHYSICAL_ID), null);

        assertEquals(answers.get(0).get("Data"), answers.get(1).get("Data"));
        assertEquals(KeySetAuthorityHandler.PHYSICAL_ID, answers.get(1).get("PhysicalResourceId"));
        assertEquals(2, published.size());
    }

    @Test
    void aDeleteChangesNothing() {
        handler(publication()).answer(request("Delete", KeySetAuthorityHandler.PHYSICAL_ID), null);

        assertEquals("SUCCESS", answers.getFirst().get("Status"));
        assertNull(answers.getFirst().get("Data"));
        assertFalse(Files.exists(dir.resolve("authority.json")));
        assertTrue(published.isEmpty());
    }

    @Test
    void aFailureIsAnsweredWithItsTypeOnlySoTheStackDoesNotWaitAnHour() {
        KeySetAuthorityHandler handler = handler(() -> {
            throw new IllegalStateException("secret material that must not leave the function");
        });

        handler.answer(request("Create", null), null);

        Map<String, Object> answer = answers.getFirst();
        assertEquals("FAILED", answer.get("Status"));
        String reason = String.valueOf(answer.get("Reason"));
        assertTrue(reason.contains("IllegalStateException"), reason);
        assertFalse(reason.contains("secret material"), reason);
    }

    /** An Error (a class that failed to load as the SDK's client was built) must not leave the stack waiting either. */
    @Test
    void anErrorIsAnsweredAsAFailureToo() {
        KeySetAuthorityHandler handler = handler(() -> {
            throw new NoClassDefFoundError("software/amazon/awssdk/SomethingMissing");
        });

        handler.answer(request("Update", KeySetAuthorityHandler.PHYSICAL_ID), null);

        assertEquals("FAILED", answers.getFirst().get("Status"));
        assertTrue(String.valueOf(answers.getFirst().get("Reason")).contains("NoClassDefFoundError"));
    }

    @Test
    void anAnswerThatCannotBeDeliveredFailsTheInvocationSoLambdaRetriesIt() {
        KeySetAuthorityHandler handler = handler(publication());
        Map<String, Object> request = request("Create", null);
        request.put("ResponseURL", "http://localhost:" + cloudFormation.getAddress().getPort() + "/elsewhere");

        assertThrows(IllegalStateException.class, () -> handler.answer(request, null));
    }

    private KeySetAuthorityHandler handler(Supplier<KeySetPublication> publication) {
        return new KeySetAuthorityHandler(publication, Wiring.none());
    }

    private Supplier<KeySetPublication> publication() {
        Path signingKeys = dir.resolve("jwt-keys.json");
        try {
            Files.writeString(signingKeys, SigningKeys.generateKeySetJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PublishedKeySetStore table = new PublishedKeySetStore() {
            @Override
            public Optional<String> read() {
                return published.isEmpty() ? Optional.empty() : Optional.of(published.getLast());
            }

            @Override
            public boolean publish(String signedSet, Instant readAt) {
                return published.add(signedSet);
            }
        };
        return () -> new KeySetPublication(new FileAuthoritySecret(dir.resolve("authority.json")), new FileKeyStore(signingKeys),
                table, Clock.systemUTC());
    }

    private Map<String, Object> request(String type, String physicalId) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("RequestType", type);
        request.put("ResponseURL", "http://localhost:" + cloudFormation.getAddress().getPort() + "/response");
        request.put("StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/user-service/1");
        request.put("RequestId", "request-1");
        request.put("LogicalResourceId", "KeySetAuthority");
        if (physicalId != null) {
            request.put("PhysicalResourceId", physicalId);
        }
        return request;
    }
}
