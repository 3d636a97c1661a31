package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.health.CounterStore;
import dev.userservice.local.FaultInjector;
import dev.userservice.local.FaultInjector.Fault;
import dev.userservice.sessions.RefreshToken;
import dev.userservice.sessions.Session;
import dev.userservice.store.DynamoCounterStore;
import dev.userservice.users.User;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What real DynamoDB answers and DynamoDB Local never does, injected into the stores' own transactions: a
 * {@code TransactionConflict} cancellation is a lost race, run again within the optimistic-retry budget, and a
 * throttled transaction is a 503, never the unexpected failure (500) it was taken for (issue 13, defect 9).
 */
class TransactionCancellationTest {
    private final IdentityStores stores = new IdentityStores();

    @AfterEach
    void disarm() {
        FaultInjector.disarm();
    }

    @Test
    void aRotationThatLostARaceRunsAgain() {
        Session session = stores.registered(stores.newUser());
        RefreshToken presented = stores.sessions.findRefreshToken("refresh-" + session.id()).orElseThrow();

        FaultInjector.armOnThisThread(1, Fault.TRANSACTION_CONFLICT);
        assertTrue(stores.sessions.rotate(presented, "next-" + session.id(), session.usedAt(stores.now.plusSeconds(60))));

        assertTrue(FaultInjector.failedCall().isPresent(), "the conflict was injected");
        assertFalse(stores.sessions.findRefreshToken(presented.hash()).orElseThrow().current());
        assertTrue(stores.sessions.findRefreshToken("next-" + session.id()).orElseThrow().current());
    }

    @Test
    void aCountersUpdateThatLostARaceRunsAgainAndCountsOnce() {
        DynamoCounterStore counters = new DynamoCounterStore(stores.dynamo, DynamoDbLocalTable.TABLE);
        String counter = "test.conflict-" + java.util.UUID.randomUUID();

        FaultInjector.armOnThisThread(1, Fault.TRANSACTION_CONFLICT);
        assertTrue(counters.apply("change-" + counter, List.of(new CounterStore.Delta(counter, 1, null))));

        assertTrue(FaultInjector.failedCall().isPresent(), "the conflict was injected");
        assertEquals(1L, counters.read().get(counter));
        assertFalse(counters.apply("change-" + counter, List.of(new CounterStore.Delta(counter, 1, null))), "applied once");
    }

    @Test
    void aSessionCreationThatLostARaceRunsAgain() {
        User user = stores.newUser();
        stores.registered(user);
        Session second = stores.newSession(user.id());

        FaultInjector.armOnThisThread(1, Fault.TRANSACTION_CONFLICT);
        stores.sessions.create(second, "refresh-" + second.id());

        assertTrue(FaultInjector.failedCall().isPresent(), "the conflict was injected");
        assertTrue(stores.sessions.find(user.id(), second.id(), true).isPresent());
    }

    @Test
    void aRegistrationThatLostARaceRunsAgain() {
        User user = stores.newUser();

        FaultInjector.armOnThisThread(1, Fault.TRANSACTION_CONFLICT);
        Session session = stores.registered(user);

        assertTrue(FaultInjector.failedCall().isPresent(), "the conflict was injected");
        assertEquals(Optional.of(user.id()), stores.credentials.emailOwner(user.email()));
        assertTrue(stores.sessions.find(user.id(), session.id(), true).isPresent());
    }

    @Test
    void anAccountChangeThatLostARaceIsReadAndTriedAgainByItsCaller() {
        User user = stores.newUser();
        stores.registered(user);
        User disabled = user.withAccess(user.role(), User.Status.DISABLED, stores.now.plusSeconds(1));

        FaultInjector.armOnThisThread(1, Fault.TRANSACTION_CONFLICT);
        assertFalse(stores.users.update(user, disabled, Optional.empty(), List.of()), "lost, not failed: the caller retries");
        assertTrue(stores.users.update(user, disabled, Optional.empty(), List.of()));
    }

    @Test
    void aThrottledRotationIsServiceUnavailableAndWritesNothing() {
        Session session = stores.registered(stores.newUser());
        RefreshToken presented = stores.sessions.findRefreshToken("refresh-" + session.id()).orElseThrow();

        FaultInjector.armOnThisThread(1, Fault.THROTTLING);
        ServiceException busy = assertThrows(ServiceException.class,
                () -> stores.sessions.rotate(presented, "next-" + session.id(), session.usedAt(stores.now.plusSeconds(60))));

        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, busy.error());
        assertTrue(stores.sessions.findRefreshToken(presented.hash()).orElseThrow().current());
    }

    @Test
    void aThrottledCredentialWriteIsServiceUnavailable() {
        User user = stores.newUser();
        stores.registered(user);

        FaultInjector.armOnThisThread(1, Fault.THROTTLING);
        ServiceException busy = assertThrows(ServiceException.class, () -> stores.credentials.issuePasswordReset(user.email(),
                user.id(), "reset-" + user.id(), stores.now, stores.now.plusSeconds(3600),
                stores.event(dev.userservice.events.EventType.USER_PASSWORD_RESET_REQUESTED, user)));

        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, busy.error());
    }
}
