package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.events.EventType;
import dev.userservice.sessions.Session;
import dev.userservice.users.User;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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

        stores.erasure.erase(erased.id());

        assertEquals(Optional.empty(), stores.users.findById(erased.id()));
        assertEquals(Optional.empty(), stores.credentials.emailOwner(erased.email()), "the email claim lives outside the partition");
        assertEquals(Optional.empty(), stores.sessions.find(erased.id(), session.id(), true));
        assertEquals(Optional.empty(), stores.sessions.findRefreshToken("refresh-" + session.id()));
        assertEquals(Optional.empty(), stores.credentials.findPasswordReset("reset-" + erased.id(), stores.now));
        assertEquals(Optional.of(kept), stores.users.findById(kept.id()));
        assertTrue(stores.sessions.findRefreshToken("refresh-" + keptSession.id()).isPresent());
    }

    @Test
    void erasingTwiceOrAnUnknownAccountIsHarmless() {
        User user = stores.newUser();
        stores.registered(user);

        stores.erasure.erase(user.id());
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

        stores.erasure.erase(user.id());

        assertEquals(List.of(), stores.sessions.listActive(user.id(), stores.now, IdentityStores.SESSION_IDLE_TIMEOUT));
    }
}
