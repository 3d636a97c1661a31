package dev.userservice.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import dev.userservice.events.EventType;
import dev.userservice.sessions.Client;
import dev.userservice.sessions.TokenGrant;
import dev.userservice.testing.IdentityServices;
import dev.userservice.users.User;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistrationServiceTest {
    private final IdentityServices identity = new IdentityServices();

    @Test
    void registrationStoresTheAccountItsPreferencesAndFirstSessionAndSignsItIn() {
        Map<String, Object> body = Map.of("email", "Alice@Example.com", "password", IdentityServices.PASSWORD,
                "name", "Alice", "preferences", Map.of("quiet_hours_start", "22:00", "quiet_hours_end", "07:00"));

        TokenGrant grant = identity.registrations.register(RegistrationRequest.read(body, identity.policy), identity.client(1));

        User user = identity.accounts.findByEmail("alice@example.com").orElseThrow();
        assertEquals(user, grant.user());
        assertFalse(user.emailVerified());
        assertEquals(User.DEFAULT_TIMEZONE, user.timezone());
        assertTrue(identity.hasher.verify(IdentityServices.PASSWORD, user.passwordHash()), "only the hash is stored");
        assertEquals(LocalTime.of(22, 0), identity.accounts.preferencesOf(user.id()).orElseThrow().quietHoursStart());
        assertEquals(user.createdAt(), identity.accounts.preferencesOf(user.id()).orElseThrow().updatedAt(),
                "the preferences are stamped when the account is stored");
        assertEquals(user.id(), identity.principal(grant).subject());
        assertEquals(List.of(EventType.USER_REGISTERED), identity.accounts.events().stream().map(event -> event.type()).toList());
    }

    @Test
    void aTakenEmailIsRefusedAndNothingMoreIsStored() {
        identity.register("alice@example.com");

        ServiceException refused = assertThrows(ServiceException.class, () -> identity.register("alice@example.com"));

        assertEquals(ErrorCode.EMAIL_TAKEN, refused.error());
        assertEquals(1, identity.accounts.events().size());
    }

    @Test
    void aPasswordThePolicyRefusesIsReportedWithEveryOtherProblemAtOnce() {
        Map<String, Object> body = Map.of("email", "not an email", "password", "short", "name", "Alice", "extra", 1);

        ServiceException refused = assertThrows(ServiceException.class, () -> RegistrationRequest.read(body, identity.policy));

        assertEquals(ErrorCode.VALIDATION_FAILED, refused.error());
        assertEquals(List.of("email", "password", "extra"), refused.details().stream().map(FieldError::field).toList());
    }

    @Test
    void registrationsFromOneIpv6SubscribersAddressesShareTheirLimit() {
        int allowed = identity.limits.register().limit();
        for (int n = 0; n < allowed; n++) {
            identity.registrations.register(request("v6user" + n + "@example.com"), new Client("2001:db8:7:7::" + (n + 1), "tests/1.0"));
        }

        ServiceException refused = assertThrows(ServiceException.class,
                () -> identity.registrations.register(request("v6-one-more@example.com"), new Client("2001:db8:7:7:abcd::9", "tests/1.0")));

        assertEquals(ErrorCode.RATE_LIMITED, refused.error());
    }

    @Test
    void registrationsAreLimitedPerSourceAddress() {
        int allowed = identity.limits.register().limit();
        for (int n = 0; n < allowed; n++) {
            identity.registrations.register(request("user" + n + "@example.com"), identity.client(7));
        }

        ServiceException refused = assertThrows(ServiceException.class,
                () -> identity.registrations.register(request("one-more@example.com"), identity.client(7)));

        assertEquals(ErrorCode.RATE_LIMITED, refused.error());
        identity.registrations.register(request("elsewhere@example.com"), identity.client(8));
    }

    /** Each account may be welcomed by mail: one person's mailbox gets no more accounts under new tags than named once. */
    @Test
    void registrationsAreLimitedPerMailboxAcrossItsTagsWhateverTheSourceAddress() {
        int allowed = identity.limits.registerPerMailbox().limit();
        for (int tag = 0; tag < allowed; tag++) {
            identity.registrations.register(request("ada+" + tag + "@example.com"), identity.client(tag));
        }
        int events = identity.accounts.events().size();

        ServiceException refused = assertThrows(ServiceException.class,
                () -> identity.registrations.register(request("Ada+Another@Example.com"), identity.client(99)));

        assertEquals(ErrorCode.RATE_LIMITED, refused.error());
        assertTrue(identity.accounts.findByEmail("ada+another@example.com").isEmpty(), "a refused registration stores no account");
        assertEquals(events, identity.accounts.events().size(), "and emits no event");
        identity.registrations.register(request("grace@example.com"), identity.client(99));
    }

    /** Someone probing whether an address is registered spends its mailbox's allowance as a registration would. */
    @Test
    void registrationsRefusedAsTakenCountAgainstTheMailbox() {
        identity.registrations.register(request("ada@example.com"), identity.client(1));
        for (int attempt = 1; attempt < identity.limits.registerPerMailbox().limit(); attempt++) {
            int from = 1 + attempt;
            assertEquals(ErrorCode.EMAIL_TAKEN, assertThrows(ServiceException.class,
                    () -> identity.registrations.register(request("ada@example.com"), identity.client(from))).error());
        }

        ServiceException refused = assertThrows(ServiceException.class,
                () -> identity.registrations.register(request("ada+new@example.com"), identity.client(50)));

        assertEquals(ErrorCode.RATE_LIMITED, refused.error());
    }

    private RegistrationRequest request(String email) {
        return RegistrationRequest.read(Map.of("email", email, "password", IdentityServices.PASSWORD, "name", "N"), identity.policy);
    }
}
