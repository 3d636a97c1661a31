package dev.userservice.accounts;

import dev.userservice.auth.AccessTokens;
import dev.userservice.auth.PasswordHasher;
import dev.userservice.auth.PasswordPolicy;
import dev.userservice.auth.Role;
import dev.userservice.auth.SecureTokens;
import dev.userservice.devices.DeviceRegistration;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.preferences.Preferences;
import dev.userservice.ratelimit.RateLimiter;
import dev.userservice.ratelimit.RateLimits;
import dev.userservice.sessions.Client;
import dev.userservice.sessions.Session;
import dev.userservice.sessions.TokenGrant;
import dev.userservice.users.EmailTakenException;
import dev.userservice.users.User;
import dev.userservice.users.UserService;
import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Registration: a new account with its preferences, its first session and optionally the device of that session,
 * stored in one transaction, and signed in.
 */
public final class RegistrationService {
    private static final int NAME_MAX_LENGTH = 100;

    private final RegistrationStore registrations;
    /** Forgets the cached views of a user whose device a registration's push token moved away from. */
    private final UserService userViews;
    private final AccessTokens accessTokens;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final RateLimiter limiter;
    private final RateLimits limits;
    private final Duration sessionMaxLifetime;
    private final Clock clock;

    public RegistrationService(RegistrationStore registrations, UserService userViews, AccessTokens accessTokens,
                               PasswordHasher hasher, PasswordPolicy policy, RateLimiter limiter, RateLimits limits,
                               Duration sessionMaxLifetime, Clock clock) {
        this.registrations = registrations;
        this.userViews = userViews;
        this.accessTokens = accessTokens;
        this.hasher = hasher;
        this.policy = policy;
        this.limiter = limiter;
        this.limits = limits;
        this.sessionMaxLifetime = sessionMaxLifetime;
        this.clock = clock;
    }

    /**
     * Creates the account, its preferences and its first session in one transaction, with the device of a
     * {@code push_token} in that session.
     */
    public TokenGrant register(Map<String, Object> body, Client client) {
        limiter.enforce(limits.register(), client.ip());
        Instant now = clock.instant();
        Fields fields = Fields.of(body);
        String email = fields.required("email", Text.EMAIL_MAX_LENGTH, Text::email);
        String password = fields.requiredString("password", PasswordPolicy.MAX_LENGTH);
        String name = fields.required("name", NAME_MAX_LENGTH, Text::name);
        String phone = fields.optional("phone", 16, Text::phone).orElse(null);
        String timezone = fields.optional("timezone", 64, Text::timezone).orElse(User.DEFAULT_TIMEZONE);
        String locale = fields.optional("locale", 35, Text::locale).orElse(User.DEFAULT_LOCALE);
        Preferences preferences = fields.optionalObject("preferences")
                .map(object -> Preferences.read(object, now))
                .orElseGet(() -> Preferences.defaults(now));
        Optional<DeviceRegistration> device = DeviceRegistration.readAtSignup(fields);
        if (password != null) {
            policy.problem(password, email).ifPresent(problem -> fields.reject("password", problem));
        }
        fields.validate();

        User user = new User(UUID.randomUUID().toString(), email, name, phone, timezone, locale, Role.USER,
                User.Status.ACTIVE, false, Map.of(), now, now, hasher.hash(password));
        String refreshToken = SecureTokens.newToken();
        Session session = Session.start(user.id(), null, client, now, sessionMaxLifetime);
        Optional<DeviceRegistration> inSession = device.map(requested ->
                requested.inSession(new DeviceRegistration.InSession(session.id(), session.createdAt())));
        try {
            registrations.create(user, preferences, session, SecureTokens.hash(refreshToken), UserEvents.registered(user, clock), inSession)
                    .forEach(userViews::forget);
        } catch (EmailTakenException e) {
            throw new ServiceException(ErrorCode.EMAIL_TAKEN);
        }
        return TokenGrant.issue(accessTokens, user, session, refreshToken);
    }

}
