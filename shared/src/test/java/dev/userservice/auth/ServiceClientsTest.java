package dev.userservice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.testing.MutableClock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ServiceClientsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final AtomicReference<String> secret = new AtomicReference<>(document("mailer", "mailer-secret"));
    private final AtomicInteger loads = new AtomicInteger();
    private final ServiceClients clients = new ServiceClients(() -> {
        loads.incrementAndGet();
        return secret.get();
    }, clock);

    @Test
    void aRegisteredClientWithItsSecretIsAuthenticatedAndAWrongSecretIsNot() {
        assertEquals("mailer", clients.authenticate("mailer", "mailer-secret").orElseThrow().clientId());
        assertEquals(Optional.empty(), clients.authenticate("mailer", "guess"));
    }

    @Test
    void aClientAddedToTheSecretWorksWithoutARestartAndUnknownIdsCannotFloodTheStore() {
        secret.set(document("pusher", "pusher-secret"));
        assertTrue(clients.authenticate("pusher", "pusher-secret").isEmpty(), "loaded less than an interval ago");

        clock.advance(Reloading.RETRY_INTERVAL.plusSeconds(1));
        assertEquals("pusher", clients.authenticate("pusher", "pusher-secret").orElseThrow().clientId());

        clients.authenticate("nobody-1", "x");
        clients.authenticate("nobody-2", "x");
        assertEquals(2, loads.get(), "at most one reload per interval");
    }

    /** A leaked secret: the operator removes the client, and every container stops accepting it within the interval. */
    @Test
    void aClientRemovedFromTheSecretStopsWorkingWithinTheRefreshInterval() {
        secret.set("{\"clients\":[]}");
        assertTrue(clients.authenticate("mailer", "mailer-secret").isPresent(), "read less than an interval ago");

        clock.advance(ServiceClients.REFRESH_INTERVAL);

        assertEquals(Optional.empty(), clients.authenticate("mailer", "mailer-secret"));
    }

    /** A SnapStart snapshot holds the list it was taken with, however recently its clock says it was read. */
    @Test
    void aRestoredContainerReadsTheListAgainAtItsFirstAuthentication() {
        secret.set(document("mailer", "the new secret"));

        clients.markStale();

        assertEquals(Optional.empty(), clients.authenticate("mailer", "mailer-secret"));
        assertEquals("mailer", clients.authenticate("mailer", "the new secret").orElseThrow().clientId());
    }

    @Test
    void aDocumentThatCannotBeReadKeepsTheListInUseAndIsNotReadOnEveryRequest() {
        secret.set("{\"clients\":[{\"client_id\":\"mailer\",\"secret_sha256\":\"not hex\"}]}");
        clock.advance(ServiceClients.REFRESH_INTERVAL);

        assertEquals("mailer", clients.authenticate("mailer", "mailer-secret").orElseThrow().clientId());
        clients.authenticate("nobody-1", "x");
        clients.authenticate("nobody-2", "x");
        assertEquals(2, loads.get(), "the failed read counts as the interval's one");
    }

    /** A removal made while the store answered badly takes effect once it answers, not a whole refresh later. */
    @Test
    void aFailedRefreshIsTriedAgainAfterTheRetryInterval() {
        secret.set("not json");
        clock.advance(ServiceClients.REFRESH_INTERVAL);
        assertTrue(clients.authenticate("mailer", "mailer-secret").isPresent(), "the list read before stays in use");

        secret.set("{\"clients\":[]}");
        clock.advance(Reloading.RETRY_INTERVAL);

        assertEquals(Optional.empty(), clients.authenticate("mailer", "mailer-secret"));
    }

    private static String document(String clientId, String secretValue) {
        return "{\"clients\":[{\"client_id\":\"" + clientId + "\",\"secret_sha256\":\"" + ServiceClients.hashSecret(secretValue)
                + "\",\"name\":\"" + clientId + "\"}]}";
    }
}
