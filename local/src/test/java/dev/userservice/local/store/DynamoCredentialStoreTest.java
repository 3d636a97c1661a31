package dev.userservice.local.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.accounts.CredentialStore;
import dev.userservice.accounts.OneTimeToken;
import dev.userservice.auth.Role;
import dev.userservice.events.EventType;
import dev.userservice.sessions.Session;
import dev.userservice.store.DynamoCredentialStore;
import dev.userservice.store.Item;
import dev.userservice.store.Keys;
import dev.userservice.users.User;
import dev.userservice.users.UserStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Password and verification writes as DynamoDB Local evaluates their transactions, on the template's table. */
class DynamoCredentialStoreTest {
    private final IdentityStores stores = new IdentityStores();
    private final CredentialStore credentials = stores.credentials;
    private final Instant expiry = stores.now.plus(Duration.ofHours(1));

    /** An admin disabled the account after the request read it active: no token is stored, no mail is sent. */
    @Test
    void aResetIsNotIssuedForAnAccountDisabledSinceItWasRead() {
        User user = stores.newUser();
        stores.registered(user);
        stores.users.update(user, user.withAccess(Role.USER, User.Status.DISABLED, stores.now.plusSeconds(1)), Optional.empty(), List.of());

        assertFalse(credentials.issuePasswordReset(user.email(), user.id(), "reset-" + user.id(), stores.now, expiry,
                stores.event(EventType.USER_PASSWORD_RESET_REQUESTED, user)));

        assertEquals(Optional.empty(), credentials.findPasswordReset("reset-" + user.id(), stores.now));
    }

    @Test
    void aResetTokenWorksOnceAndEndsTheSessionsBegunBeforeIt() {
        User user = stores.newUser();
        Session before = stores.registered(user);
        assertTrue(credentials.issuePasswordReset(user.email(), user.id(), "reset-" + user.id(), stores.now, expiry,
                stores.event(EventType.USER_PASSWORD_RESET_REQUESTED, user)));
        OneTimeToken token = credentials.findPasswordReset("reset-" + user.id(), stores.now).orElseThrow();
        assertEquals(new OneTimeToken(user.id(), user.email(), stores.now, expiry), token);

        assertTrue(credentials.resetPassword("reset-" + user.id(), token, "$2b$04$new", stores.now.plusSeconds(10)));
        assertFalse(credentials.resetPassword("reset-" + user.id(), token, "$2b$04$newer", stores.now.plusSeconds(11)));

        assertEquals("$2b$04$new", stores.users.findById(user.id()).orElseThrow().passwordHash());
        assertTrue(stores.users.findById(user.id()).orElseThrow().emailVerified(), "the token reached the mailbox");
        assertEquals(Optional.empty(), credentials.findPasswordReset("reset-" + user.id(), stores.now));
        assertEquals(Optional.empty(), stores.sessions.findAcceptedByOwner(user.id(), before.id()));
    }

    @Test
    void aResetTokenIssuedBeforeThePasswordChangedChangesNothing() {
        User user = stores.newUser();
        stores.registered(user);
        OneTimeToken token = issuedReset(user);
        assertTrue(credentials.replacePasswordHash(user.id(), user.passwordHash(), "$2b$04$owners", stores.now.plusSeconds(5), "the owner's session"));

        assertFalse(credentials.resetPassword("reset-" + user.id(), token, "$2b$04$intruders", stores.now.plusSeconds(10)));

        assertEquals("$2b$04$owners", stores.users.findById(user.id()).orElseThrow().passwordHash());
    }

    @Test
    void anExpiredTokenIsNeitherFoundNorUsable() {
        User user = stores.newUser();
        stores.registered(user);
        OneTimeToken token = issuedReset(user);

        assertEquals(Optional.empty(), credentials.findPasswordReset("reset-" + user.id(), expiry.plusSeconds(1)));
        assertFalse(credentials.resetPassword("reset-" + user.id(), token, "$2b$04$new", expiry.plusSeconds(1)));
    }

    @Test
    void aResetOfADisabledAccountStoresNothing() {
        User user = stores.newUser();
        stores.registered(user);
        OneTimeToken token = issuedReset(user);
        stores.dynamo.updateItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                .key(Item.keyOf(Keys.user(user.id()), Keys.PROFILE))
                .updateExpression("SET #status = :disabled")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":disabled", AttributeValue.fromS("disabled"))));

        assertFalse(credentials.resetPassword("reset-" + user.id(), token, "$2b$04$new", stores.now.plusSeconds(10)));

        assertEquals(user.passwordHash(), stores.users.findById(user.id()).orElseThrow().passwordHash());
        assertTrue(credentials.findPasswordReset("reset-" + user.id(), stores.now.plusSeconds(10)).isPresent(), "not used up");
    }

    @Test
    void aResetReceivedAtAnAddressThatBouncedBeforeLetsItBeMailedAgain() {
        User user = stores.newUser();
        stores.registered(user);
        Map<String, AttributeValue> profileKey = Item.keyOf(Keys.user(user.id()), Keys.PROFILE);
        stores.dynamo.updateItem(request -> request.tableName(DynamoDbLocalTable.TABLE).key(profileKey)
                .updateExpression("SET email_bounced = :true")
                .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true))));
        OneTimeToken token = issuedReset(user);

        assertTrue(credentials.resetPassword("reset-" + user.id(), token, "$2b$04$new", stores.now.plusSeconds(10)));

        Map<String, AttributeValue> profile = stores.dynamo.getItem(request -> request.tableName(DynamoDbLocalTable.TABLE)
                .key(profileKey).consistentRead(true)).item();
        assertFalse(profile.containsKey("email_bounced"));
        assertEquals(Long.toString(stores.now.plusSeconds(10).toEpochMilli()), profile.get("email_bounces_from").n(),
                "a bounce reported late, of mail from before the reset, does not mark the address again");
    }

    @Test
    void aResetForAnEmailTheUserDoesNotClaimStoresNothing() {
        User user = stores.newUser();
        stores.registered(user);

        assertFalse(credentials.issuePasswordReset("nobody-" + user.id() + "@example.com", user.id(), "reset-" + user.id(),
                stores.now, expiry, stores.event(EventType.USER_PASSWORD_RESET_REQUESTED, user)));

        assertEquals(Optional.empty(), credentials.findPasswordReset("reset-" + user.id(), stores.now));
        assertEquals(Optional.of(user.id()), credentials.emailOwner(user.email()));
    }

    @Test
    void aVerificationTokenVerifiesTheAddressItWasSentToOnce() {
        User user = stores.newUser();
        stores.registered(user);
        assertTrue(credentials.issueEmailVerification(user.id(), user.email(), "verify-" + user.id(), stores.now, expiry,
                stores.event(EventType.USER_EMAIL_VERIFICATION_REQUESTED, user)));
        OneTimeToken token = credentials.findEmailVerification("verify-" + user.id(), stores.now).orElseThrow();

        assertTrue(credentials.verifyEmail("verify-" + user.id(), token, stores.now.plusSeconds(1)));

        assertTrue(stores.users.findById(user.id()).orElseThrow().emailVerified());
        assertFalse(credentials.verifyEmail("verify-" + user.id(), token, stores.now.plusSeconds(2)));
        assertFalse(credentials.issueEmailVerification(user.id(), user.email(), "verify-again-" + user.id(), stores.now, expiry,
                stores.event(EventType.USER_EMAIL_VERIFICATION_REQUESTED, user)), "a verified address gets no token");
    }

    @Test
    void aVerificationTokenForAnAddressTheAccountNoLongerHasIsRefused() {
        User user = stores.newUser();
        stores.registered(user);
        credentials.issueEmailVerification(user.id(), user.email(), "verify-" + user.id(), stores.now, expiry,
                stores.event(EventType.USER_EMAIL_VERIFICATION_REQUESTED, user));
        OneTimeToken token = credentials.findEmailVerification("verify-" + user.id(), stores.now).orElseThrow();
        User moved = user.withProfile("moved-" + user.id() + "@example.com", user.name(), null, "UTC", "en", false,
                user.attributes(), stores.now.plusSeconds(1));
        stores.users.update(user, moved, Optional.empty(), List.of());

        assertFalse(credentials.verifyEmail("verify-" + user.id(), token, stores.now.plusSeconds(2)));
        assertFalse(stores.users.findById(user.id()).orElseThrow().emailVerified());
    }

    /** "Stops working if the address changes", for good: changing away and back does not revive the token. */
    @Test
    void tokensMailedBeforeTheAddressChangedAwayAndBackAreRefused() {
        User user = stores.newUser();
        stores.registered(user);
        OneTimeToken reset = issuedReset(user);
        credentials.issueEmailVerification(user.id(), user.email(), "verify-" + user.id(), stores.now, expiry,
                stores.event(EventType.USER_EMAIL_VERIFICATION_REQUESTED, user));
        OneTimeToken verification = credentials.findEmailVerification("verify-" + user.id(), stores.now).orElseThrow();
        User moved = user.withProfile("moved-" + user.id() + "@example.com", user.name(), null, "UTC", "en", false,
                user.attributes(), stores.now.plusSeconds(1));
        assertTrue(stores.users.update(user, moved, Optional.empty(), List.of()));
        User back = moved.withProfile(user.email(), user.name(), null, "UTC", "en", false, user.attributes(), stores.now.plusSeconds(2));
        assertTrue(stores.users.update(moved, back, Optional.empty(), List.of()));

        assertFalse(credentials.verifyEmail("verify-" + user.id(), verification, stores.now.plusSeconds(3)));
        assertFalse(credentials.resetPassword("reset-" + user.id(), reset, "$2b$04$new", stores.now.plusSeconds(3)));
        assertEquals(user.passwordHash(), stores.users.findById(user.id()).orElseThrow().passwordHash());
    }

    /** The token an email change mails is issued at the change itself, and verifies the new address. */
    @Test
    void theTokenMailedByAnEmailChangeVerifiesTheNewAddress() {
        User user = stores.newUser();
        stores.registered(user);
        User moved = user.withProfile("moved-" + user.id() + "@example.com", user.name(), null, "UTC", "en", false,
                user.attributes(), stores.now.plusMillis(1500));
        assertTrue(stores.users.update(user, moved, Optional.of(new UserStore.EmailVerification("verify-" + user.id(), expiry)), List.of()));
        OneTimeToken token = credentials.findEmailVerification("verify-" + user.id(), stores.now).orElseThrow();

        assertTrue(credentials.verifyEmail("verify-" + user.id(), token, stores.now.plusSeconds(3)));
        assertTrue(stores.users.findById(user.id()).orElseThrow().emailVerified());
    }

    @Test
    void aPasswordHashIsReplacedOnlyWhileItIsTheOneExpected() {
        User user = stores.newUser();
        stores.registered(user);

        assertFalse(credentials.replacePasswordHash(user.id(), "$2b$04$stale", "$2b$04$new", stores.now.plusSeconds(1), "the owner's session"));
        assertTrue(credentials.replacePasswordHash(user.id(), user.passwordHash(), "$2b$04$new", stores.now.plusSeconds(1), "the owner's session"));

        assertEquals("$2b$04$new", stores.users.findById(user.id()).orElseThrow().passwordHash());
    }

    /** The SDK's retry of a password change whose first attempt committed and lost its answer: the change stands. */
    @Test
    void aPasswordChangeWhoseRetryMeetsItsOwnCommittedAttemptSucceeds() {
        User user = stores.newUser();
        stores.registered(user);
        DynamoDbClient answerLostOnce = new DynamoDbClient() {
            @Override
            public UpdateItemResponse updateItem(UpdateItemRequest request) {
                stores.dynamo.updateItem(request);
                return stores.dynamo.updateItem(request);
            }

            @Override
            public String serviceName() {
                return stores.dynamo.serviceName();
            }

            @Override
            public void close() {}
        };
        DynamoCredentialStore retrying = new DynamoCredentialStore(answerLostOnce, DynamoDbLocalTable.TABLE, stores.oneTimeTokens);

        assertTrue(retrying.replacePasswordHash(user.id(), user.passwordHash(), "$2b$04$new", stores.now.plusSeconds(1), "the owner's session"));
        assertFalse(retrying.replacePasswordHash(user.id(), user.passwordHash(), "$2b$04$other", stores.now.plusSeconds(2), "the owner's session"),
                "another change, from the old password, is still refused");
    }

    /** A reset token of the user's, issued now and read back as stored, under the hash {@code reset-<id>}. */
    private OneTimeToken issuedReset(User user) {
        assertTrue(credentials.issuePasswordReset(user.email(), user.id(), "reset-" + user.id(), stores.now, expiry,
                stores.event(EventType.USER_PASSWORD_RESET_REQUESTED, user)));
        return credentials.findPasswordReset("reset-" + user.id(), stores.now).orElseThrow();
    }
}
