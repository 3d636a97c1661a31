package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.events.EventType;
import dev.userservice.sessions.Session;
import dev.userservice.users.User;
import dev.userservice.users.UserStore;
import dev.userservice.users.UsernameTakenException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The username claim as DynamoDB Local stores it: one account per username, compared case-insensitively, claimed in
 * the registration's transaction, moved by a change and released by a deletion.
 */
class DynamoUsernameClaimTest {
    private final IdentityStores stores = new IdentityStores();
    private final UserStore users = stores.users;

    @Test
    void aRegistrationClaimsTheUsernameWhichFindsTheAccountInAnyCase() {
        String username = uniqueUsername();
        User user = stores.newUser().withUsername(username, stores.now);

        stores.registered(user);

        assertEquals(Optional.of(user), users.findById(user.id()));
        assertEquals(user.id(), users.findByUsername(username.toLowerCase()).orElseThrow().id());
        assertEquals(Optional.empty(), users.findByUsername(uniqueUsername()));
    }

    @Test
    void aSecondRegistrationOfTheUsernameInAnotherCaseIsTakenAndStoresNothing() {
        String username = uniqueUsername();
        User first = stores.newUser().withUsername(username, stores.now);
        stores.registered(first);
        User second = stores.newUser().withUsername(username.toUpperCase(), stores.now);
        Session session = stores.newSession(second.id());

        assertThrows(UsernameTakenException.class, () -> stores.register(second, session, "refresh-" + session.id()));

        assertEquals(Optional.empty(), users.findById(second.id()));
        assertEquals(Optional.empty(), users.findByEmail(second.email()), "nor its email claim");
        assertEquals(first.id(), users.findByUsername(username.toLowerCase()).orElseThrow().id());
    }

    @Test
    void aChangeMovesTheClaimAndATakenUsernameIsRefused() {
        String before = uniqueUsername();
        User user = stores.newUser().withUsername(before, stores.now);
        stores.registered(user);
        String taken = uniqueUsername();
        stores.registered(stores.newUser().withUsername(taken, stores.now));
        String after = uniqueUsername();
        User renamed = user.withUsername(after, stores.now.plusSeconds(1));

        assertTrue(users.update(user, renamed, Optional.empty(), List.of()));

        assertEquals(user.id(), users.findByUsername(after.toLowerCase()).orElseThrow().id());
        assertEquals(Optional.empty(), users.findByUsername(before.toLowerCase()), "the old username is free again");
        User stealing = renamed.withUsername(taken.toUpperCase(), stores.now.plusSeconds(2));
        assertThrows(UsernameTakenException.class, () -> users.update(renamed, stealing, Optional.empty(), List.of()));
        assertEquals(Optional.of(renamed), users.findById(user.id()), "the refused change stored nothing");
        User released = renamed.withUsername(null, stores.now.plusSeconds(3));
        assertTrue(users.update(renamed, released, Optional.empty(), List.of()));
        assertEquals(Optional.empty(), users.findByUsername(after.toLowerCase()));
        assertEquals(Optional.of(released), users.findById(user.id()));
    }

    @Test
    void aDeletionReleasesTheUsername() {
        String username = uniqueUsername();
        User user = stores.newUser().withUsername(username, stores.now);
        stores.registered(user);

        assertTrue(users.delete(user, stores.event(EventType.USER_DELETED, user)));

        assertEquals(Optional.empty(), users.findByUsername(username.toLowerCase()));
        stores.registered(stores.newUser().withUsername(username, stores.now));
    }

    @Test
    void concurrentRegistrationsOfOneUsernameLeaveOneOwner() throws Exception {
        String username = uniqueUsername();
        int contenders = 8;
        List<User> users = new ArrayList<>();
        List<Callable<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            User user = stores.newUser().withUsername(i % 2 == 0 ? username : username.toUpperCase(), stores.now);
            users.add(user);
            attempts.add(() -> {
                try {
                    stores.registered(user);
                    return true;
                } catch (UsernameTakenException | TransactionCanceledException e) {
                    // Taken, or (DynamoDB's word for two transactions on one item at once) in conflict: either way lost.
                    return false;
                }
            });
        }

        List<Boolean> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(contenders)) {
            for (Future<Boolean> outcome : pool.invokeAll(attempts)) {
                outcomes.add(outcome.get());
            }
        }

        assertEquals(1, outcomes.stream().filter(won -> won).count(), outcomes.toString());
        User winner = users.get(outcomes.indexOf(true));
        assertEquals(winner.id(), this.users.findByUsername(username.toLowerCase()).orElseThrow().id());
        for (User user : users) {
            assertEquals(user == winner, this.users.findById(user.id()).isPresent(), "only the winner's account is stored");
        }
    }

    private static String uniqueUsername() {
        return "User_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }
}
