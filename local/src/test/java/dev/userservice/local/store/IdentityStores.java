package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.auth.Role;
import dev.userservice.config.ServiceConfig;
import dev.userservice.events.EventType;
import dev.userservice.events.UserEvent;
import dev.userservice.preferences.Preferences;
import dev.userservice.sessions.Session;
import dev.userservice.store.DynamoAccountErasure;
import dev.userservice.store.DynamoCredentialStore;
import dev.userservice.store.DynamoDeviceStore;
import dev.userservice.store.DynamoSessionStore;
import dev.userservice.store.DynamoUserStore;
import dev.userservice.store.OneTimeTokens;
import dev.userservice.users.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The identity adapters on the shared DynamoDB Local table, wired as the service wires them, and records to store. */
final class IdentityStores {
    static final Duration MAX_LIFETIME = Duration.ofDays(30);

    /** The service's default, as configuration gives it when nothing overrides it. */
    static final Duration SESSION_IDLE_TIMEOUT = ServiceConfig.from(Map.of("TABLE_NAME", DynamoDbLocalTable.TABLE)).sessionIdleTimeout();

    final DynamoDbClient dynamo = DynamoDbLocalTable.client();
    final OneTimeTokens oneTimeTokens = new OneTimeTokens(dynamo, DynamoDbLocalTable.TABLE);
    final DynamoDeviceStore devices = new DynamoDeviceStore(dynamo, DynamoDbLocalTable.TABLE);
    final DynamoSessionStore sessions = new DynamoSessionStore(dynamo, DynamoDbLocalTable.TABLE, SESSION_IDLE_TIMEOUT, devices);
    final DynamoUserStore users = new DynamoUserStore(dynamo, DynamoDbLocalTable.TABLE, sessions, oneTimeTokens, devices);
    final DynamoCredentialStore credentials = new DynamoCredentialStore(dynamo, DynamoDbLocalTable.TABLE, oneTimeTokens);
    final DynamoAccountErasure erasure = new DynamoAccountErasure(dynamo, DynamoDbLocalTable.TABLE, Clock.systemUTC());
    /** Stored instants have second precision at most where TTLs are derived; whole seconds compare exactly. */
    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    /** An account with a fresh id and an address of its own, on the default plan as registration makes it, not stored yet. */
    User newUser() {
        String id = UUID.randomUUID().toString();
        return new User(id, "user-" + id + "@example.com", "Test User", null, "UTC", "en", Role.USER,
                User.Status.ACTIVE, false, Map.of("plan", "pro"), now, now, "$2b$04$" + id, null, "member", "basic");
    }

    Session newSession(String userId) {
        return new Session(UUID.randomUUID().toString(), userId, "laptop", "tests/1.0", "203.0.113.1",
                now, now, now.plus(MAX_LIFETIME), null);
    }

    /** Registers {@code user} with default preferences and {@code session}, its refresh token hashed as {@code refreshHash}. */
    void register(User user, Session session, String refreshHash) {
        users.create(user, Preferences.defaults(now), session, refreshHash, event(EventType.USER_REGISTERED, user), Optional.empty());
    }

    /** A registered account with one session; answers the session. */
    Session registered(User user) {
        Session session = newSession(user.id());
        register(user, session, "refresh-" + session.id());
        return session;
    }

    /** Deletes {@code user}'s account as a deletion request does, leaving the rest to the erasure; answers its id. */
    String deleted(User user) {
        assertTrue(users.delete(users.findById(user.id()).orElseThrow(), event(EventType.USER_DELETED, user)));
        return user.id();
    }

    UserEvent event(EventType type, User user) {
        return UserEvent.of(type, user.id(), Map.of("email", user.email()), Clock.fixed(now, ZoneOffset.UTC));
    }
}
