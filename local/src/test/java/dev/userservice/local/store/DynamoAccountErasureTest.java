package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.devices.DevicePlanner;
import dev.userservice.devices.DeviceRegistration;
import dev.userservice.devices.DeviceStore;
import dev.userservice.events.EventType;
import dev.userservice.store.DynamoAccountErasure;
import dev.userservice.sessions.Session;
import dev.userservice.users.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Erasing an account's items, in its partition and elsewhere, as DynamoDB Local runs it on the template's table. */
class DynamoAccountErasureTest {
    private final IdentityStores stores = new IdentityStores();

    @Test
    void erasureRemovesEverythingTheAccountOwnedAndNothingElse() {
        User erased = stores.newUser();
        Session session = stores.registered(erased);
        stores.credentials.issuePasswordReset(erased.email(), erased.id(), "reset-" + erased.id(),
                stores.now, stores.now.plus(Duration.ofHours(1)), stores.event(EventType.USER_PASSWORD_RESET_REQUESTED, erased));
        User kept = stores.newUser();
        Session keptSession = stores.registered(kept);

        stores.erasure.erase(stores.deleted(erased));

        assertEquals(Optional.empty(), stores.users.findById(erased.id()));
        assertEquals(Optional.empty(), stores.credentials.emailOwner(erased.email()), "the email claim lives outside the partition");
        assertEquals(Optional.empty(), stores.sessions.find(erased.id(), session.id(), true));
        assertEquals(Optional.empty(), stores.sessions.findRefreshToken("refresh-" + session.id()));
        assertEquals(Optional.empty(), stores.credentials.findPasswordReset("reset-" + erased.id(), stores.now));
        assertEquals(Optional.of(kept), stores.users.findById(kept.id()));
        assertTrue(stores.sessions.findRefreshToken("refresh-" + keptSession.id()).isPresent());
    }

    /** Only a deletion leads to an erasure: a message naming a live account (a redrive from the wrong queue) erases nothing. */
    @Test
    void anAccountThatStillExistsIsNotErased() {
        User user = stores.newUser();
        Session session = stores.registered(user);

        assertThrows(IllegalStateException.class, () -> stores.erasure.erase(user.id()));

        assertEquals(Optional.of(user.id()), stores.users.findById(user.id()).map(User::id));
        assertTrue(stores.sessions.findRefreshToken("refresh-" + session.id()).isPresent());
    }

    @Test
    void erasingTwiceOrAnUnknownAccountIsHarmless() {
        User user = stores.newUser();
        stores.registered(user);

        stores.erasure.erase(stores.deleted(user));
        stores.erasure.erase(user.id());
        stores.erasure.erase(stores.newUser().id());

        assertEquals(Optional.empty(), stores.users.findById(user.id()));
        assertEquals(List.of(), stores.sessions.listActive(user.id(), stores.now, IdentityStores.SESSION_IDLE_TIMEOUT));
    }

    @Test
    void anAccountWithMoreItemsThanOneBatchIsErasedWhole() {
        User user = stores.newUser();
        stores.registered(user);
        for (int n = 0; n < 30; n++) {
            Session session = stores.newSession(user.id());
            stores.sessions.create(session, "refresh-" + session.id());
        }

        stores.erasure.erase(stores.deleted(user));

        assertEquals(List.of(), stores.sessions.listActive(user.id(), stores.now, IdentityStores.SESSION_IDLE_TIMEOUT));
    }

    /** A deletion request erases for a bounded time and leaves the rest to the queued eraser, its partition first. */
    @Test
    void anErasureThatReachesItsDeadlineStopsAndTheNextOneFinishes() {
        User user = stores.newUser();
        Session first = stores.registered(user);
        List<Session> sessions = new ArrayList<>();
        // With their live markers and the account's two items, 64 items: three batches of 25, the account's items in
        // the first two (their keys sort after the markers' and before the sessions').
        for (int n = 0; n < 30; n++) {
            Session session = stores.newSession(user.id());
            stores.sessions.create(session, "refresh-" + session.id());
            sessions.add(session);
        }
        // Each reading of the clock takes a second: two of the partition's three batches fit before the deadline.
        Clock ticking = new Clock() {
            private Instant now = stores.now;

            @Override
            public synchronized Instant instant() {
                Instant read = now;
                now = now.plusSeconds(1);
                return read;
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        DynamoAccountErasure bounded = new DynamoAccountErasure(stores.dynamo, DynamoDbLocalTable.TABLE, ticking);
        stores.deleted(user);

        assertFalse(bounded.eraseUntil(user.id(), stores.now.plusMillis(1500)));
        assertEquals(Optional.empty(), stores.users.findById(user.id()));
        long left = sessions.stream().filter(session -> stores.sessions.find(user.id(), session.id(), true).isPresent()).count();
        assertTrue(left > 0 && left < 25, left + " of the partition's sessions left: the third batch waits");
        assertTrue(stores.sessions.findRefreshToken("refresh-" + first.id()).isPresent(), "outside the partition: left for later");

        assertTrue(bounded.eraseUntil(user.id(), Instant.MAX));
        assertEquals(List.of(), stores.sessions.listActive(user.id(), stores.now, IdentityStores.SESSION_IDLE_TIMEOUT));
        assertEquals(Optional.empty(), stores.sessions.findRefreshToken("refresh-" + first.id()));
    }

    @Test
    void aPushTokenClaimTakenByAnotherUserDuringTheErasureStaysWithItsNewHolder() {
        User leaving = stores.newUser();
        stores.registered(leaving);
        User taking = stores.newUser();
        stores.registered(taking);
        String token = "push-" + leaving.id();
        register(leaving, token);

        // The other user takes the token after the erasure read the owner index: a registration landing then, or an
        // index read (eventually consistent) lagging behind one, both look like this.
        new DynamoAccountErasure(new RacingAfterIndexRead(stores.dynamo, () -> register(taking, token)), DynamoDbLocalTable.TABLE, Clock.systemUTC())
                .erase(stores.deleted(leaving));

        assertEquals(Optional.of(taking.id()), stores.devices.holderOf(token).map(DeviceStore.Holder::userId),
                "the claim belongs to its new holder; deleting it would let the token end up active on two users' devices");
    }

    private void register(User user, String token) {
        assertTrue(stores.devices.commit(DevicePlanner.registration(stores.devices, user.id(),
                new DeviceRegistration(token, "ios", "Phone", true, null), false, stores.now).plan()));
    }

    /** The table as the erasure sees it, with {@code race} run once just after the first index query answered. */
    private record RacingAfterIndexRead(DynamoDbClient dynamo, Runnable race) implements DynamoDbClient {
        @Override
        public QueryResponse query(QueryRequest request) {
            QueryResponse response = dynamo.query(request);
            if (request.indexName() != null) {
                race.run();
            }
            return response;
        }

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            return dynamo.getItem(request);
        }

        @Override
        public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
            return dynamo.batchWriteItem(request);
        }

        @Override
        public DeleteItemResponse deleteItem(DeleteItemRequest request) {
            return dynamo.deleteItem(request);
        }

        @Override
        public String serviceName() {
            return dynamo.serviceName();
        }

        @Override
        public void close() {}
    }
}
