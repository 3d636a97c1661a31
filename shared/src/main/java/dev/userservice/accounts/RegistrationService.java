package dev.userservice.accounts;

import dev.userservice.auth.AccessTokens;
import dev.userservice.auth.PasswordHasher;
import dev.userservice.auth.Role;
import dev.userservice.auth.SecureTokens;
import dev.userservice.devices.DeviceRegistration;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.ratelimit.RateLimiter;
import dev.userservice.ratelimit.RateLimits;
import dev.userservice.sessions.Client;
import dev.userservice.sessions.Session;
import dev.userservice.sessions.TokenGrant;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.EmailTakenException;
import dev.userservice.users.Plans;
import dev.userservice.users.User;
import dev.userservice.users.UserService;
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
    private final RegistrationStore registrations;
    /** Forgets the cached views of a user whose device a registration's push token moved away from. */
    private final UserService userViews;
    private final AccessTokens accessTokens;
    private final PasswordHasher hasher;
    private final RateLimiter limiter;
    private final RateLimits limits;
    private final Duration sessionMaxLifetime;
    /** The type of every self-registered account: the first of the deployment's account types. */
    private final String accountType;
    private final Clock clock;

    private final Plans plans;

    /** With the default account types and plans. */
    public RegistrationService(RegistrationStore registrations, UserService userViews, AccessTokens accessTokens,
                               PasswordHasher hasher, RateLimiter limiter, RateLimits limits,
                               Duration sessionMaxLifetime, Clock clock) {
        this(registrations, userViews, accessTokens, hasher, limiter, limits, sessionMaxLifetime,
                AccountTypes.DEFAULTS, Plans.DEFAULT, clock);
    }

    /** A registration that starts accounts on the default of {@code types} and of {@code plans}. */
    public RegistrationService(RegistrationStore registrations, UserService userViews, AccessTokens accessTokens,
                               PasswordHasher hasher, RateLimiter limiter, RateLimits limits,
                               Duration sessionMaxLifetime, AccountTypes types, Plans plans, Clock clock) {
        this.accountType = types.defaultType();
        this.plans = plans;
        this.registrations = registrations;
        this.userViews = userViews;
        this.accessTokens = accessTokens;
        this.hasher = hasher;
        this.limiter = limiter;
        this.limits = limits;
        this.sessionMaxLifetime = sessionMaxLifetime;
        this.clock = clock;
    }

    /**
     * Creates the account, its preferences and its first session in one transaction, with the device of a
     * {@code push_token} in that session; 409 {@code username_taken} when another account holds the username.
     */
    public TokenGrant register(RegistrationRequest request, Client client) {
        limiter.enforcePerIp(limits.register(), client.ip());
        // Each account's user.registered may be answered with a welcome mail: clients spread over many addresses,
        // registering one person's mailbox under tag after tag, would have the service mail it once per tag. Counted
        // before the store finds the email taken, so a 429 says nothing of whether it is, and a 409 counts too.
        limiter.enforce(limits.registerPerMailbox(), Text.mailbox(request.email()));
        Instant now = clock.instant();
        User user = new User(UUID.randomUUID().toString(), request.email(), request.name(), request.phone(),
                request.timezone(), request.locale(), Role.USER, User.Status.ACTIVE, false, Map.of(), now, now,
                hasher.hash(request.password()), request.username(), accountType, plans.defaultPlan());
        String refreshToken = SecureTokens.newToken();
        Session session = Session.start(user.id(), null, client, now, sessionMaxLifetime);
        Optional<DeviceRegistration> inSession = request.device().map(requested ->
                requested.inSession(new DeviceRegistration.InSession(session.id(), session.createdAt())));
        try {
            registrations.create(user, request.preferencesAt(now), session, SecureTokens.hash(refreshToken), UserEvents.registered(user, clock), inSession)
                    .forEach(userViews::forget);
        } catch (EmailTakenException e) {
            throw new ServiceException(ErrorCode.EMAIL_TAKEN);
        }
        return TokenGrant.issue(accessTokens, user, session, refreshToken);
    }

}
