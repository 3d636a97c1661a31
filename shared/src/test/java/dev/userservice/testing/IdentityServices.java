package dev.userservice.testing;

import dev.userservice.accounts.AccessChange;
import dev.userservice.accounts.AccountService;
import dev.userservice.accounts.EmailVerification;
import dev.userservice.accounts.PasswordFlows;
import dev.userservice.accounts.RegistrationRequest;
import dev.userservice.accounts.RegistrationService;
import dev.userservice.accounts.AdminAccounts;
import dev.userservice.accounts.UserAdministration;
import dev.userservice.auth.AccessTokens;
import dev.userservice.auth.CursorSecrets;
import dev.userservice.auth.PasswordHasher;
import dev.userservice.auth.PasswordPolicy;
import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.auth.SecureTokens;
import dev.userservice.auth.ServiceClients;
import dev.userservice.auth.SigningKeys;
import dev.userservice.events.EventType;
import dev.userservice.events.UserEvent;
import dev.userservice.json.Json;
import dev.userservice.paging.Cursors;
import dev.userservice.ratelimit.RateLimiter;
import dev.userservice.ratelimit.RateLimits;
import dev.userservice.sessions.AuthService;
import dev.userservice.sessions.Client;
import dev.userservice.sessions.SessionGuard;
import dev.userservice.sessions.SessionLimit;
import dev.userservice.sessions.SessionService;
import dev.userservice.sessions.TokenGrant;
import dev.userservice.sessions.TokenService;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.Plans;
import dev.userservice.users.User;
import dev.userservice.users.UserService;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identity services (sign-in, registration, passwords, verification, accounts, administration, service tokens)
 * wired as the service wires them, over in-memory stores, a cache that can be taken down and a clock the test moves.
 * Passwords are hashed at bcrypt's lowest cost, so tests stay fast.
 */
public final class IdentityServices {
    public static final Duration IDLE_TIMEOUT = Duration.ofDays(7);
    public static final Duration MAX_LIFETIME = Duration.ofDays(30);
    public static final int MAX_LIVE_SESSIONS = 5;
    public static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(15);
    public static final String PASSWORD = "lilac tractor honey window";
    public static final String SERVICE_CLIENT = "mailer";
    public static final String SERVICE_SECRET = "mailer-secret";
    private static final int TEST_BCRYPT_COST = 4;
    private static final int PASSWORD_MIN_LENGTH = 12;
    private static final String CURSOR_SECRET = SecureTokens.newToken();

    public final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    public final InMemoryCache cache = new InMemoryCache(clock);
    public final InMemorySessionStore sessionStore = new InMemorySessionStore();
    public final InMemoryAccounts accounts = new InMemoryAccounts(sessionStore);
    /** The table's counters, used only while the cache is down; they never expire in a test's span. */
    private final Map<String, Long> fallbackCounts = new ConcurrentHashMap<>();
    public final RateLimiter limiter = new RateLimiter(cache, (key, expiresAt) -> fallbackCounts.merge(key, 1L, Long::sum), clock);
    /** The service's default limits. */
    public final RateLimits limits = RateLimits.from(Optional.empty());
    public final PasswordHasher hasher = new PasswordHasher(TEST_BCRYPT_COST);
    public final PasswordPolicy policy = new PasswordPolicy(PASSWORD_MIN_LENGTH);
    private final String keySet = SigningKeys.generateKeySetJson();
    public final SigningKeys signingKeys = new SigningKeys(() -> keySet, clock);
    public final AccessTokens accessTokens = new AccessTokens(signingKeys, "https://users.test", "notifications",
            ACCESS_TOKEN_LIFETIME, clock);
    public final UserService userViews = new UserService(accounts, cache, clock);
    public final SessionGuard guard = new SessionGuard(sessionStore, cache, IDLE_TIMEOUT, ACCESS_TOKEN_LIFETIME, clock);
    public final AuthService auth = new AuthService(accounts, sessionStore, guard, accessTokens, hasher, limiter, limits,
            IDLE_TIMEOUT, MAX_LIFETIME, new SessionLimit(MAX_LIVE_SESSIONS), clock);
    public final RegistrationService registrations = new RegistrationService(accounts, userViews, accessTokens, hasher,
            limiter, limits, MAX_LIFETIME, clock);
    public final SessionService sessions = new SessionService(sessionStore, guard, IDLE_TIMEOUT, clock, userViews::view);
    public final PasswordFlows passwords = new PasswordFlows(accounts, accounts, guard, userViews, hasher, policy,
            limiter, limits, clock);
    public final EmailVerification verification = new EmailVerification(accounts, accounts, userViews, limiter, limits,
            clock);
    public final AccountService accountService = new AccountService(accounts, userViews, hasher, guard, accounts, limiter,
            limits, AccountTypes.DEFAULTS, Plans.DEFAULT, clock);
    public final Cursors cursors = new Cursors(new CursorSecrets(() -> CURSOR_SECRET, SigningKeys.DEFAULT_REFRESH_INTERVAL,
            clock));
    public final UserAdministration administration = new UserAdministration(accounts, userViews, guard, cursors, clock);
    public final AdminAccounts adminAccounts = new AdminAccounts(accounts, accounts, userViews, guard, accounts, hasher, clock);
    public final ServiceClients serviceClients = new ServiceClients(() -> Json.write(Map.of("clients", List.of(
            Map.of("client_id", SERVICE_CLIENT, "name", "Mailer", "secret_sha256", ServiceClients.hashSecret(SERVICE_SECRET))))),
            clock);
    public final TokenService tokens = new TokenService(serviceClients, accessTokens, guard, accounts);

    /** Sign-in as a deploy that set bcrypt's cost to {@code cost} runs it, over the same accounts and sessions. */
    public AuthService authHashingAt(int cost) {
        return new AuthService(accounts, sessionStore, guard, accessTokens, new PasswordHasher(cost), limiter, limits,
                IDLE_TIMEOUT, MAX_LIFETIME, new SessionLimit(MAX_LIVE_SESSIONS), clock);
    }

    /** Disables the account as an admin's change does: its sessions end, and it may not sign in. */
    public void disable(String userId) {
        Principal admin = new Principal("an-admin", "a-session", Set.of(Role.ADMIN), true, "jti", Instant.MAX);
        administration.changeAccess(admin, userId, new AccessChange(Optional.empty(), Optional.of(User.Status.DISABLED)));
    }

    /** A client as API Gateway would describe it; each registration comes from an address of its own. */
    public Client client(int n) {
        return new Client("203.0.113." + n, "tests/1.0");
    }

    /** Registers {@code email} with {@link #PASSWORD}, from an address of its own so the register limit never bites. */
    public TokenGrant register(String email) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("password", PASSWORD);
        body.put("name", "Test User");
        return registrations.register(RegistrationRequest.read(body, policy), client(Math.floorMod(email.hashCode(), 250)));
    }

    /** The principal of a grant's access token, as the authenticator sees it. */
    public Principal principal(TokenGrant grant) {
        return auth.authenticate(grant.accessToken());
    }

    /** The newest event of {@code type} committed; fails when there is none. */
    public UserEvent lastEvent(EventType type) {
        return accounts.events().stream().filter(event -> event.type() == type)
                .reduce((older, newer) -> newer)
                .orElseThrow(() -> new AssertionError("No " + type + " was emitted"));
    }

    /** The token a {@code *_requested} event mailed, as the email service would read it from the event. */
    public static String mailedToken(UserEvent event) {
        if (!(event.data().get("token") instanceof String token)) {
            throw new IllegalStateException("The event carries no token: " + event.type());
        }
        return token;
    }
}
