package dev.userservice.users;

import static dev.userservice.testing.Refusals.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.userservice.auth.Role;
import dev.userservice.errors.ErrorCode;
import dev.userservice.testing.InMemoryAccounts;
import dev.userservice.testing.InMemoryCache;
import dev.userservice.testing.InMemorySessionStore;
import dev.userservice.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UserServiceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final InMemoryCache cache = new InMemoryCache(clock);
    private final InMemoryAccounts store = new InMemoryAccounts(new InMemorySessionStore());
    private final UserService users = new UserService(store, cache, clock);
    private final User alice = user("alice@example.com");

    @Test
    void theViewIsWhatClientsSeeWithoutThePasswordHash() {
        store.add(alice);

        Map<String, Object> view = users.view(alice.id());

        assertEquals(alice.toJson().keySet(), view.keySet());
        assertFalse(view.containsKey("password_hash"));
        assertEquals("alice@example.com", view.get("email"));
    }

    @Test
    void aCachedViewIsServedUntilTheAccountIsForgotten() {
        store.add(alice);
        users.view(alice.id());
        User renamed = new User(alice.id(), alice.email(), "Alice B", null, "UTC", "en", Role.USER, User.Status.ACTIVE,
                false, Map.of(), alice.createdAt(), clock.instant().plusSeconds(1), alice.passwordHash());
        store.update(alice, renamed, java.util.Optional.empty(), List.of());

        assertEquals("Alice", users.view(alice.id()).get("name"), "served from the cache");
        users.forget(alice.id());
        assertEquals("Alice B", users.view(alice.id()).get("name"));
    }

    @Test
    void anUnknownOrMalformedIdIsNotFound() {
        assertEquals(ErrorCode.NOT_FOUND, refusal(() -> users.view(UUID.randomUUID().toString())));
        assertEquals(ErrorCode.NOT_FOUND, refusal(() -> users.view("x".repeat(5000))));
    }

    @Test
    void withTheCacheDownEveryViewReadsTheStore() {
        store.add(alice);
        cache.setDown(true);

        assertEquals("alice@example.com", users.view(alice.id()).get("email"));
    }

    private User user(String email) {
        return new User(UUID.randomUUID().toString(), email, "Alice", null, "UTC", "en", Role.USER, User.Status.ACTIVE,
                false, Map.of(), clock.instant(), clock.instant(), "$2b$04$not-a-real-hash");
    }
}
