package dev.userservice.sessions;

import dev.userservice.auth.AccessTokens;
import dev.userservice.auth.PasswordHasher;
import dev.userservice.auth.PasswordPolicy;
import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.devices.DeviceRegistration;
import dev.userservice.auth.SecureTokens;
import dev.userservice.errors.ServiceException;
import dev.userservice.http.Authenticator;
import dev.userservice.errors.ErrorCode;
import dev.userservice.preferences.Preferences;
import dev.userservice.ratelimit.RateLimiter;
import dev.userservice.ratelimit.RateLimits;
import dev.userservice.users.EmailTakenException;
import dev.userservice.users.User;
import dev.userservice.users.UserEvents;
import dev.userservice.users.UserService;
import dev.userservice.users.UserStore;
import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Accounts and their sessions: registration, sign-in, refresh-token rotation with reuse detection, sign-out, and
 * the check every authenticated request makes that its token's session is still alive.
 */
public final class AuthService implements Authenticator {
    private static final int NAME_MAX_LENGTH = 100;
    private static final int DEVICE_NAME_MAX_LENGTH = 100;
    private static final int USER_AGENT_MAX_LENGTH = 512;

    private final UserStore users;
    /** Forgets the cached views of a user whose device a registration's push token moved away from. */
    private final UserService userService;
    private final SessionStore sessions;
    private final SessionGuard guard;
    private final AccessTokens accessTokens;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final RateLimiter limiter;
    private final RateLimits limits;
    private final Duration sessionIdleTimeout;
    private final Duration sessionMaxLifetime;
    private final Clock clock;

    public AuthService(UserStore users, UserService userService, SessionStore sessions, SessionGuard guard, AccessTokens accessTokens,
                       PasswordHasher hasher, PasswordPolicy policy, RateLimiter limiter, RateLimits limits,
                       Duration sessionIdleTimeout, Duration sessionMaxLifetime, Clock clock) {
        this.users = users;
        this.userService = userService;
        this.sessions = sessions;
        this.guard = guard;
        this.accessTokens = accessTokens;
        this.hasher = hasher;
        this.policy = policy;
        this.limiter = limiter;
        this.limits = limits;
        this.sessionIdleTimeout = sessionIdleTimeout;
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
        Session session = newSession(user.id(), null, client, now);
        Optional<DeviceRegistration> inSession = device.map(requested ->
                requested.inSession(new DeviceRegistration.InSession(session.id(), session.createdAt())));
        try {
            users.create(user, preferences, session, SecureTokens.hash(refreshToken), UserEvents.registered(user, clock), inSession)
                    .forEach(userService::forget);
        } catch (EmailTakenException e) {
            throw new ServiceException(ErrorCode.EMAIL_TAKEN);
        }
        return grant(user, session, refreshToken);
    }

    /** Signs in with email and password. Unknown emails cost the same bcrypt work as wrong passwords. */
    public TokenGrant login(Map<String, Object> body, Client client) {
        Fields fields = Fields.of(body);
        String email = fields.requiredString("email", Text.EMAIL_MAX_LENGTH);
        String password = fields.requiredString("password", PasswordPolicy.MAX_LENGTH);
        String deviceName = fields.optional("device_name", DEVICE_NAME_MAX_LENGTH, Text::name).orElse(null);
        fields.validate();

        // Counted before the password is checked, so guessing costs attempts whether it succeeds or not.
        limiter.enforce(limits.loginPerIp(), client.ip());
        Optional<String> normalised = normalisedEmail(email);
        limiter.enforce(limits.loginPerEmail(), normalised.orElse(email));
        Optional<User> found = normalised.flatMap(users::findByEmail);
        if (found.isEmpty()) {
            hasher.verifyDecoy(password);
            throw new ServiceException(ErrorCode.INVALID_CREDENTIALS);
        }
        User user = found.get();
        if (!hasher.verify(password, user.passwordHash())) {
            throw new ServiceException(ErrorCode.INVALID_CREDENTIALS);
        }
        if (!user.isActive()) {
            throw new ServiceException(ErrorCode.ACCOUNT_DISABLED);
        }
        String refreshToken = SecureTokens.newToken();
        Session session = newSession(user.id(), deviceName, client, clock.instant());
        sessions.create(session, SecureTokens.hash(refreshToken));
        return grant(user, session, refreshToken);
    }

    /**
     * Exchanges a refresh token for a new pair and retires it. A retired token presented again means it was
     * copied: the whole session is revoked, so neither the thief nor the owner can go on with it.
     */
    public TokenGrant refresh(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        String presentedToken = fields.requiredString("refresh_token", SecureTokens.MAX_LENGTH);
        fields.validate();

        Instant now = clock.instant();
        RefreshToken presented = sessions.findRefreshToken(SecureTokens.hash(presentedToken))
                .orElseThrow(() -> new ServiceException(ErrorCode.INVALID_TOKEN));
        limiter.enforce(limits.refresh(), presented.sessionId());
        if (!presented.current()) {
            guard.revoke(presented.userId(), presented.sessionId());
            throw new ServiceException(ErrorCode.INVALID_TOKEN);
        }
        Session session = sessions.find(presented.userId(), presented.sessionId(), true)
                .filter(found -> found.isActive(now, sessionIdleTimeout))
                .orElseThrow(() -> new ServiceException(ErrorCode.INVALID_TOKEN));
        User user = users.findById(session.userId()).orElseThrow(() -> new ServiceException(ErrorCode.INVALID_TOKEN));
        if (!user.isActive()) {
            throw new ServiceException(ErrorCode.ACCOUNT_DISABLED);
        }
        String nextToken = SecureTokens.newToken();
        if (!sessions.rotate(presented, SecureTokens.hash(nextToken), session.usedAt(now))) {
            // Another request rotated this token first: it was presented twice, which is reuse.
            guard.revoke(session.userId(), session.id());
            throw new ServiceException(ErrorCode.INVALID_TOKEN);
        }
        return grant(user, session, nextToken);
    }

    /** Ends the caller's session: its refresh token stops working and its access tokens are refused at once. */
    public void logout(Principal caller) {
        guard.revoke(caller.subject(), caller.sessionId());
    }

    /**
     * A valid signature is not enough: a user's token is accepted only while its session lives, so that a
     * sign-out a moment ago already counts (see {@link SessionGuard}).
     */
    @Override
    public Principal authenticate(String bearerToken) {
        Principal principal = accessTokens.verify(bearerToken);
        if (!principal.isService() && !guard.isAlive(principal.subject(), principal.sessionId())) {
            throw new ServiceException(ErrorCode.UNAUTHORIZED);
        }
        return principal;
    }

    private Session newSession(String userId, String deviceName, Client client, Instant now) {
        String userAgent = client.userAgent() == null ? null
                : client.userAgent().substring(0, Math.min(client.userAgent().length(), USER_AGENT_MAX_LENGTH));
        return new Session(UUID.randomUUID().toString(), userId, deviceName, userAgent, client.ip(),
                now, now, now.plus(sessionMaxLifetime), null);
    }

    private TokenGrant grant(User user, Session session, String refreshToken) {
        AccessTokens.Issued access = accessTokens.issue(user.id(), session.id(), Set.of(user.role()), user.emailVerified());
        return new TokenGrant(access.token(), refreshToken, access.lifetime().toSeconds(), user);
    }

    private static Optional<String> normalisedEmail(String email) {
        try {
            return Optional.of(Text.email(email));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
