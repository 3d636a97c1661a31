package dev.userservice;

import dev.userservice.accounts.AccountService;
import dev.userservice.accounts.EmailVerification;
import dev.userservice.accounts.PasswordFlows;
import dev.userservice.accounts.RegistrationService;
import dev.userservice.accounts.AdminAccounts;
import dev.userservice.accounts.PlanChanges;
import dev.userservice.accounts.Profiles;
import dev.userservice.accounts.UserAdministration;
import dev.userservice.accounts.UserSearch;
import dev.userservice.accounts.UserStatistics;
import dev.userservice.auth.AccessTokens;
import dev.userservice.auth.CursorSecrets;
import dev.userservice.auth.KeyRotation;
import dev.userservice.auth.KeySetAuthority;
import dev.userservice.auth.KeySetAuthoritySecret;
import dev.userservice.auth.KeySetPublication;
import dev.userservice.auth.OpenIdConfiguration;
import dev.userservice.auth.PasswordHasher;
import dev.userservice.auth.PasswordPolicy;
import dev.userservice.auth.PrimingKey;
import dev.userservice.auth.Role;
import dev.userservice.auth.ServiceClients;
import dev.userservice.auth.SigningKeyStore;
import dev.userservice.auth.SigningKeys;
import dev.userservice.aws.AwsClients;
import dev.userservice.aws.FirstUseDynamoDbClient;
import dev.userservice.cache.Cache;
import dev.userservice.cache.MeteredCache;
import dev.userservice.cache.PrimingSafeCache;
import dev.userservice.cache.RedisCache;
import dev.userservice.concurrency.Once;
import dev.userservice.config.ServiceConfig;
import dev.userservice.devices.DeviceOwners;
import dev.userservice.devices.DeviceRegistration;
import dev.userservice.devices.DeviceService;
import dev.userservice.devices.DeviceSessions;
import dev.userservice.devices.InactiveDeviceLimit;
import dev.userservice.devices.StaleDevices;
import dev.userservice.events.EventPublisher;
import dev.userservice.events.OutboxPublishing;
import dev.userservice.health.HealthCheck;
import dev.userservice.health.ServiceMetrics;
import dev.userservice.health.ServiceInformation;
import dev.userservice.health.StreamHeartbeats;
import dev.userservice.http.HttpRuntime;
import dev.userservice.http.Idempotency;
import dev.userservice.notifications.NotificationHistory;
import dev.userservice.notifications.StatusRecorder;
import dev.userservice.paging.Cursors;
import dev.userservice.preferences.PreferencesService;
import dev.userservice.profiles.NotificationProfiles;
import dev.userservice.ratelimit.RateLimiter;
import dev.userservice.secrets.FileAuthoritySecret;
import dev.userservice.secrets.FileKeyStore;
import dev.userservice.secrets.PublishedKeys;
import dev.userservice.secrets.SecretsManagerAuthoritySecret;
import dev.userservice.secrets.SecretsManagerKeyStore;
import dev.userservice.sessions.AuthService;
import dev.userservice.sessions.SessionGuard;
import dev.userservice.sessions.SessionLimit;
import dev.userservice.sessions.SessionService;
import dev.userservice.sessions.SessionStore;
import dev.userservice.sessions.TokenService;
import dev.userservice.snapstart.Priming;
import dev.userservice.snapstart.Wiring;
import dev.userservice.sqs.SqsErasureRequests;
import dev.userservice.sqs.SqsParkedRecords;
import dev.userservice.sqs.SqsEventPublisher;
import dev.userservice.sqs.SqsQueueProbe;
import dev.userservice.store.DynamoAccountErasure;
import dev.userservice.store.DynamoCredentialStore;
import dev.userservice.store.DynamoDeviceStore;
import dev.userservice.store.DynamoHealthProbe;
import dev.userservice.store.DynamoIdempotencyStore;
import dev.userservice.store.DynamoCounterStore;
import dev.userservice.store.DynamoNotificationStore;
import dev.userservice.store.DynamoPreferencesStore;
import dev.userservice.store.DynamoProfileStore;
import dev.userservice.store.DynamoPublishedKeySet;
import dev.userservice.store.DynamoUserDirectory;
import dev.userservice.store.DynamoProfileInputsStore;
import dev.userservice.store.DynamoRateCounters;
import dev.userservice.store.DynamoSessionStore;
import dev.userservice.store.DynamoStaleDeviceStore;
import dev.userservice.store.DynamoStreamHeartbeats;
import dev.userservice.store.DryRunOperations;
import dev.userservice.store.DynamoUserStore;
import dev.userservice.store.OutboxTokens;
import dev.userservice.store.Item;
import dev.userservice.store.Keys;
import dev.userservice.store.OneTimeTokens;
import dev.userservice.users.AccountErasure;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.Plans;
import dev.userservice.users.UserService;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one place where the service is wired: clients, stores and domain services, built once per container (per
 * environment, which in the local runner means per function) and shared by every request. Parts a function does
 * not use are never built: each is made on first use. It is also what SnapStart's hooks ask to warm the parts
 * built and to mend them after a restore ({@link Wiring}).
 */
public final class Services implements Wiring {
    /** A cache round trip takes about a millisecond; a stalled server must cost little more (see RedisCache). */
    private static final Duration CACHE_TIMEOUT = Duration.ofMillis(50);
    private static final Map<Map<String, String>, Services> BY_ENVIRONMENT = new ConcurrentHashMap<>();

    private final ServiceConfig config;
    /**
     * To the microsecond, as the earlier services (Django REST framework, Pydantic) wrote their times: the system
     * clock's nanoseconds made nine digits of a second that Python's {@code strptime("%f")} does not read.
     */
    private final Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    /*
     * Each part is built by its accessor on first use, by the lambda written there: a lambda's class is made when
     * its expression first runs, so a function makes the classes of the parts it uses only (written in the
     * constructor they cost about 50 classes at every start). Only the jars of the functions that call SQS carry
     * SqsClient, which is named only where sqs() runs.
     */
    private final Once<DynamoDbClient> dynamoDb = new Once<>();
    private final Once<SqsClient> sqs = new Once<>();
    private final Once<Idempotency> idempotency = new Once<>();
    private final Once<Optional<RedisCache>> redis = new Once<>();
    private final Once<Cache> cache = new Once<>();
    private final Once<DynamoSessionStore> sessionStore = new Once<>();
    private final Once<DynamoUserStore> userStore = new Once<>();
    private final Once<DynamoDeviceStore> deviceStore = new Once<>();
    private final Once<DeviceService> deviceService = new Once<>();
    private final Once<StaleDevices> staleDevices = new Once<>();
    private final Once<SigningKeys> signingKeys = new Once<>();
    private final Once<SigningKeys> verificationKeys = new Once<>();
    private final Once<SessionGuard> sessionGuard = new Once<>();
    private final Once<RateLimiter> rateLimiter = new Once<>();
    private final Once<AccessTokens> accessTokens = new Once<>();
    private final Once<PrimingKey> primingKey = new Once<>();
    private final Once<PasswordHasher> passwordHasher = new Once<>();
    private final Once<PasswordPolicy> passwordPolicy = new Once<>();
    private final Once<AuthService> authService = new Once<>();
    private final Once<RegistrationService> registrationService = new Once<>();
    private final Once<ServiceClients> serviceClients = new Once<>();
    private final Once<TokenService> tokenService = new Once<>();
    private final Once<OneTimeTokens> oneTimeTokens = new Once<>();
    private final Once<UserService> userService = new Once<>();
    private final Once<AccountErasure> accountErasure = new Once<>();
    private final Once<AccountService> accountService = new Once<>();
    private final Once<Cursors> cursors = new Once<>();
    private final Once<CursorSecrets> cursorSecrets = new Once<>();
    private final Once<UserAdministration> userAdministration = new Once<>();
    private final AccountTypes accountTypes;
    private final Once<AdminAccounts> adminAccounts = new Once<>();
    private final Once<PlanChanges> planChanges = new Once<>();
    private final Once<Profiles> profiles = new Once<>();
    private final Once<UserSearch> userSearch = new Once<>();
    private final Once<DynamoCredentialStore> credentialStore = new Once<>();
    private final Once<SessionService> sessionService = new Once<>();
    private final Once<PasswordFlows> passwordFlows = new Once<>();
    private final Once<EmailVerification> emailVerification = new Once<>();
    private final Once<DynamoPreferencesStore> preferencesStore = new Once<>();
    private final Once<PreferencesService> preferencesService = new Once<>();
    private final Once<NotificationProfiles> notificationProfiles = new Once<>();
    private final Once<DynamoNotificationStore> notificationStore = new Once<>();
    private final Once<StatusRecorder> statusRecorder = new Once<>();
    private final Once<NotificationHistory> notificationHistory = new Once<>();
    private final Once<UserStatistics> userStatistics = new Once<>();
    private final Once<ServiceMetrics> serviceMetrics = new Once<>();
    private final Once<StreamHeartbeats> streamHeartbeats = new Once<>();
    private final Once<HttpRuntime> httpRuntime = new Once<>();
    private final Once<HealthCheck> healthCheck = new Once<>();
    private final Once<EventPublisher> eventPublisher = new Once<>();
    private final Once<OutboxPublishing> outboxPublishing = new Once<>();

    private Services(ServiceConfig config) {
        this.config = config;
        accountTypes = accountTypes(config);
    }

    private DynamoDbClient dynamoDb() {
        return dynamoDb.get(() -> new FirstUseDynamoDbClient(() -> AwsClients.dynamoDb(config)));
    }

    private Optional<RedisCache> redis() {
        return redis.get(() -> config.redisUrl().map(url -> new RedisCache(url, config.redisCaCertificate(), CACHE_TIMEOUT, clock)));
    }

    /** Metered only with a server: without one every read would count a miss, a custom metric billed for nothing. */
    private Cache cache() {
        return cache.get(() -> redis().<Cache>map(server -> new MeteredCache(new PrimingSafeCache(server))).orElseGet(Cache::none));
    }

    private DynamoDeviceStore deviceStore() {
        return deviceStore.get(() -> new DynamoDeviceStore(dynamoDb(), config.tableName()));
    }

    private OneTimeTokens oneTimeTokens() {
        return oneTimeTokens.get(() -> new OneTimeTokens(dynamoDb(), config.tableName()));
    }

    // Ending a session deactivates its devices in the revocation's own transaction; SessionGuard forgets the
    // user's cached views once that has committed.
    private DynamoSessionStore sessionStore() {
        return sessionStore.get(() -> new DynamoSessionStore(dynamoDb(), config.tableName(), config.sessionIdleTimeout(),
                deviceStore()));
    }

    private DynamoUserStore userStore() {
        return userStore.get(() -> new DynamoUserStore(dynamoDb(), config.tableName(), sessionStore(),
                oneTimeTokens(), deviceStore(), accountTypes.defaultType(), config.plans().defaultPlan()));
    }

    private SessionGuard sessionGuard() {
        return sessionGuard.get(() -> new SessionGuard(sessionStore(), cache(), config.sessionIdleTimeout(),
                config.accessTokenTtl(), clock));
    }

    private RateLimiter rateLimiter() {
        return rateLimiter.get(() -> new RateLimiter(cache(), new DynamoRateCounters(dynamoDb(), config.tableName()), clock));
    }

    private AccessTokens accessTokens() {
        return accessTokens.get(() -> new AccessTokens(this::signingKeys,
                primingKey().trustedBeside(keyId -> verificationKeys().verificationKey(keyId)),
                config.jwtIssuer(), config.jwtAudience(), config.accessTokenTtl(), clock));
    }

    private PrimingKey primingKey() {
        return primingKey.get(() -> new PrimingKey(Priming::active, clock));
    }

    private PasswordHasher passwordHasher() {
        return passwordHasher.get(() -> new PasswordHasher(config.bcryptCost()));
    }

    private ServiceClients serviceClients() {
        return serviceClients.get(() -> new ServiceClients(serviceClientsSource(config), clock));
    }

    private Cursors cursors() {
        return cursors.get(() -> new Cursors(() -> cursorSecrets().get()));
    }

    /** Read when a cursor is first sealed or opened, not while the function starts. */
    private CursorSecrets cursorSecrets() {
        return cursorSecrets.get(() -> new CursorSecrets(cursorSecretSource(config), config.jwtKeysRefreshInterval(), clock));
    }

    private DynamoCredentialStore credentialStore() {
        return credentialStore.get(() -> new DynamoCredentialStore(dynamoDb(), config.tableName(), oneTimeTokens()));
    }

    private DynamoPreferencesStore preferencesStore() {
        return preferencesStore.get(() -> new DynamoPreferencesStore(dynamoDb(), config.tableName()));
    }

    private DynamoNotificationStore notificationStore() {
        return notificationStore.get(() -> new DynamoNotificationStore(dynamoDb(), config.tableName(),
                deviceStore(), clock));
    }

    /** The services for this environment, built on the first call and shared by every later one. */
    public static Services of(Map<String, String> environment) {
        return BY_ENVIRONMENT.computeIfAbsent(Map.copyOf(environment), env -> new Services(ServiceConfig.from(env)));
    }

    public Clock clock() {
        return clock;
    }

    private SqsClient sqs() {
        return sqs.get(() -> AwsClients.sqs(config));
    }

    private Idempotency idempotency() {
        return idempotency.get(() -> new Idempotency(new DynamoIdempotencyStore(dynamoDb(), config.tableName()), clock,
                clientIp -> rateLimiter().enforcePerIp(config.rateLimits().idempotencyPerIp(), clientIp)));
    }

    /**
     * The health check: the table, and the cache and the user-events queue where they are configured (the others
     * report {@code disabled}). The probes build their clients only when the check runs.
     */
    public HealthCheck healthCheck() {
        return healthCheck.get(() -> new HealthCheck(
                DynamoHealthProbe.of(this::dynamoDb, config.tableName()),
                config.redisUrl().map(url -> () -> cache().takesWrites()),
                config.userEventsQueueUrl().map(queueUrl -> SqsQueueProbe.of(this::sqs, queueUrl)),
                config.serviceVersion()));
    }

    /** The publisher of outbox events to the user-events queue; {@code USER_EVENTS_QUEUE_URL} must be set. */
    public EventPublisher eventPublisher() {
        return eventPublisher.get(() -> new SqsEventPublisher(sqs(), config.userEventsQueueUrl()
                .orElseThrow(() -> new IllegalStateException("USER_EVENTS_QUEUE_URL is required to publish events"))));
    }

    /**
     * The outbox's publishing: the events to the user-events queue, then the published tokens out of the table and the
     * deleted accounts to the account-erasure queue, what can never be published to the outbox's failure queue
     * ({@code ACCOUNT_ERASURE_QUEUE_URL} and {@code OUTBOX_FAILURES_QUEUE_URL} must be set).
     */
    public OutboxPublishing outboxPublishing() {
        return outboxPublishing.get(() -> new OutboxPublishing(eventPublisher(), new OutboxTokens(dynamoDb(), config.tableName()),
                new SqsErasureRequests(sqs(), config.accountErasureQueueUrl().orElseThrow(
                        () -> new IllegalStateException("ACCOUNT_ERASURE_QUEUE_URL is required to publish events"))),
                new SqsParkedRecords(sqs(), config.outboxFailuresQueueUrl().orElseThrow(
                        () -> new IllegalStateException("OUTBOX_FAILURES_QUEUE_URL is required to publish events")))));
    }

    public OpenIdConfiguration openIdConfiguration() {
        return new OpenIdConfiguration(config.jwtIssuer(), config.publicBaseUrl(), config.region());
    }

    /** The service's name, version and links, built from configuration like the discovery document. */
    public ServiceInformation serviceInformation() {
        return new ServiceInformation(config.serviceVersion(), openIdConfiguration());
    }

    /**
     * The signing keys' rotation in their store: Secrets Manager, or locally the key file. Built on each call, as
     * only the rotation function uses it.
     */
    public KeyRotation signingKeyRotation() {
        return new KeyRotation(requiredSigningKeyStore(), authoritySecret().map(this::keySetPublication));
    }

    /**
     * The deployment's step that makes the key-set authority and publishes the verification keys; it needs the
     * authority's secret ({@code KEY_SET_AUTHORITY_SECRET_ARN}, or {@code KEY_SET_AUTHORITY_FILE} locally).
     */
    public KeySetPublication keySetPublication() {
        return keySetPublication(authoritySecret().orElseThrow(() -> new IllegalStateException(
                "Publishing the keys needs KEY_SET_AUTHORITY_SECRET_ARN (AWS) or KEY_SET_AUTHORITY_FILE (local runs)")));
    }

    private KeySetPublication keySetPublication(KeySetAuthoritySecret authority) {
        return new KeySetPublication(authority, requiredSigningKeyStore(), publishedKeySet(), clock);
    }

    private DynamoPublishedKeySet publishedKeySet() {
        return new DynamoPublishedKeySet(dynamoDb(), config.tableName());
    }

    private SigningKeyStore requiredSigningKeyStore() {
        return signingKeyStore(config).orElseThrow(() -> new IllegalStateException(
                "Rotating or publishing the keys needs their store: JWT_KEYS_SECRET_ARN (AWS) or JWT_KEYS_FILE (local runs)"));
    }

    private Optional<KeySetAuthoritySecret> authoritySecret() {
        if (config.keySetAuthoritySecretArn().isPresent()) {
            return Optional.of(new SecretsManagerAuthoritySecret(AwsClients.secretsManager(config),
                    config.keySetAuthoritySecretArn().get()));
        }
        return config.keySetAuthorityFile().map(FileAuthoritySecret::new);
    }

    /** The private keys: they sign tokens. */
    public SigningKeys signingKeys() {
        return signingKeys.get(() -> new SigningKeys(keySetSource(config), config.jwtKeysRefreshInterval(), clock));
    }

    /**
     * The keys that verify tokens: the published set where the key-set authority is configured
     * ({@code KEY_SET_AUTHORITY}), read from the cache or the table and never from a secret; elsewhere (tests, keys
     * given inline) the signing keys themselves.
     */
    public SigningKeys verificationKeys() {
        if (config.keySetAuthority().isEmpty()) {
            return signingKeys();
        }
        return verificationKeys.get(() -> {
            PublishedKeys published = new PublishedKeys(KeySetAuthority.publicKey(config.keySetAuthority().get()),
                    cache(), this::publishedKeySet, config.jwtKeysRefreshInterval(), clock);
            return new SigningKeys(published, published::fromTable, config.jwtKeysRefreshInterval(), clock);
        });
    }

    public DeviceService deviceService() {
        return deviceService.get(() -> new DeviceService(deviceStore(), liveSessions(sessionStore(), config.sessionIdleTimeout(), clock),
                deviceOwners(userService()), new InactiveDeviceLimit(config.maxInactiveDevices()), cache(), clock));
    }

    public StaleDevices staleDevices() {
        return staleDevices.get(() -> new StaleDevices(new DynamoStaleDeviceStore(dynamoDb(), config.tableName(), deviceStore()),
                userService()::forget, clock));
    }

    public PasswordPolicy passwordPolicy() {
        return passwordPolicy.get(() -> new PasswordPolicy(config.passwordMinLength()));
    }

    public AuthService authService() {
        return authService.get(() -> new AuthService(
                userStore(),
                sessionStore(),
                sessionGuard(),
                accessTokens(),
                passwordHasher(),
                rateLimiter(),
                config.rateLimits(),
                config.sessionIdleTimeout(),
                config.sessionMaxLifetime(),
                new SessionLimit(config.maxLiveSessions()),
                clock));
    }

    public RegistrationService registrationService() {
        return registrationService.get(() -> new RegistrationService(userStore(), userService(), accessTokens(),
                passwordHasher(), rateLimiter(), config.rateLimits(), config.sessionMaxLifetime(), accountTypes, config.plans(), clock));
    }

    public TokenService tokenService() {
        return tokenService.get(() -> new TokenService(serviceClients(), accessTokens(), sessionGuard(), userStore()));
    }

    public UserService userService() {
        return userService.get(() -> new UserService(userStore(), cache(), clock));
    }

    public AccountErasure accountErasure() {
        return accountErasure.get(() -> new DynamoAccountErasure(dynamoDb(), config.tableName(), clock));
    }

    public AccountService accountService() {
        return accountService.get(() -> new AccountService(userStore(), userService(), passwordHasher(),
                sessionGuard(), accountErasure(), rateLimiter(), config.rateLimits(), accountTypes, config.plans(), clock));
    }

    public UserAdministration userAdministration() {
        return userAdministration.get(() -> new UserAdministration(userStore(), userService(), sessionGuard(),
                cursors(), accountTypes, config.plans(), clock));
    }

    public AdminAccounts adminAccounts() {
        return adminAccounts.get(() -> new AdminAccounts(userStore(), userStore(), userService(), sessionGuard(),
                accountErasure(), passwordHasher(), config.plans(), clock));
    }

    /** The deployment's account types ({@code ACCOUNT_TYPES}), checked when the service starts. */
    public AccountTypes accountTypes() {
        return accountTypes;
    }

    /** The deployment's plans. */
    public Plans plans() {
        return config.plans();
    }

    private static AccountTypes accountTypes(ServiceConfig config) {
        try {
            return AccountTypes.parse(config.accountTypes());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Configuration ACCOUNT_TYPES must be " + e.getMessage());
        }
    }

    public PlanChanges planChanges() {
        return planChanges.get(() -> new PlanChanges(userStore(), userService(), config.plans(),
                config.selfServiceUpgrade(), clock));
    }

    public Profiles profiles() {
        return profiles.get(() -> new Profiles(userStore(), profileStore(), config.plans(), clock));
    }

    /** Holds nothing but the client and the table's name: built where it is used. */
    private DynamoProfileStore profileStore() {
        return new DynamoProfileStore(dynamoDb(), config.tableName());
    }

    public UserSearch userSearch() {
        return userSearch.get(() -> new UserSearch(userStore(), new DynamoUserDirectory(dynamoDb(), config.tableName()),
                profileStore(), config.plans(), cursors(), rateLimiter(), config.rateLimits().search()));
    }

    public SessionService sessionService() {
        return sessionService.get(() -> new SessionService(sessionStore(), sessionGuard(), config.sessionIdleTimeout(), clock,
                userService()::view));
    }

    public PasswordFlows passwordFlows() {
        return passwordFlows.get(() -> new PasswordFlows(userStore(), credentialStore(), sessionGuard(),
                userService(), passwordHasher(), passwordPolicy(), rateLimiter(), config.rateLimits(), clock));
    }

    public EmailVerification emailVerification() {
        return emailVerification.get(() -> new EmailVerification(userStore(), credentialStore(), userService(),
                rateLimiter(), config.rateLimits(), clock));
    }

    public PreferencesService preferencesService() {
        return preferencesService.get(() -> new PreferencesService(preferencesStore(), cache(), userService(), clock));
    }

    public NotificationProfiles notificationProfiles() {
        return notificationProfiles.get(() -> new NotificationProfiles(
                new DynamoProfileInputsStore(dynamoDb(), config.tableName()), cache(), clock));
    }

    public StatusRecorder statusRecorder() {
        return statusRecorder.get(() -> new StatusRecorder(notificationStore(), userService()::forget, clock));
    }

    public NotificationHistory notificationHistory() {
        return notificationHistory.get(() -> new NotificationHistory(notificationStore(),
                userService()::view, cursors()));
    }

    public UserStatistics userStatistics() {
        return userStatistics.get(() -> new UserStatistics(sessionService(), deviceService(),
                notificationStore(), clock));
    }

    public ServiceMetrics serviceMetrics() {
        return serviceMetrics.get(() -> new ServiceMetrics(new DynamoCounterStore(dynamoDb(), config.tableName()), accountTypes(),
                config.plans(), clock));
    }

    public StreamHeartbeats streamHeartbeats() {
        return streamHeartbeats.get(() -> new DynamoStreamHeartbeats(dynamoDb(), config.tableName()));
    }

    /**
     * The authenticator reaches the signing keys, and the replay store the DynamoDB client, only when a request needs
     * them, so a function's start builds neither for nothing.
     */
    public HttpRuntime httpRuntime() {
        return httpRuntime.get(() -> new HttpRuntime(
                config.functionName(),
                token -> authService().authenticate(token),
                this::idempotency,
                this));
    }

    @Override
    public boolean initialisingSnapshot() {
        return config.initialisingSnapshot();
    }

    @Override
    public boolean initialisingOnDemand() {
        return config.initialisingOnDemand();
    }

    /** Signed with the signing keys where the function holds them, so priming reads them as its requests will. */
    @Override
    public String accessTokenOfNobody() {
        AccessTokens tokens = config.holdsSigningKeys() ? accessTokens() : new AccessTokens(primingKey().signingKeys(),
                config.jwtIssuer(), config.jwtAudience(), config.accessTokenTtl(), clock);
        return tokens.issue(UUID.randomUUID().toString(), UUID.randomUUID().toString(), Set.of(Role.USER), false).token();
    }

    @Override
    public void warmUp() {
        String nobody = UUID.randomUUID().toString();
        cache.ifBuilt(built -> built.get("priming:{" + nobody + "}"));
        dynamoDb.ifBuilt(client -> {
            client.getItem(request -> request.tableName(config.tableName())
                    .key(Item.keyOf(Keys.user(nobody), Keys.PROFILE)));
            DryRunOperations.prepare(client, config.tableName(), nobody);
        });
        passwordHasher.ifBuilt(hasher -> hasher.verifyDecoy(nobody));
        if (config.holdsSigningKeys()) {
            accessTokens.ifBuilt(tokens -> tokens.issue(nobody, nobody, Set.of(Role.USER), false));
        }
    }

    /**
     * Redis connections opened before the snapshot are closed: their server forgot them long ago. The signing keys
     * and the service clients are read again at their next use: rotations, and clients removed, may have happened
     * since. The AWS clients need nothing: their
     * URL-connection HTTP client reuses idle connections from the JDK's keep-alive cache, which hands out none idle
     * longer than its keep-alive time (5 s unless the server sets one) by the wall clock, and a restore comes long
     * after the snapshot; should a call still meet a dead connection, the SDK retries it (IOExceptions are
     * retryable). The TLS sessions priming opened may be offered for resumption; a server that no longer honours
     * them answers with a full handshake. Nothing is seeded here: all randomness comes from SecureRandom, which
     * Lambda keeps unique across restores (see {@code Jitter}).
     */
    @Override
    public void afterRestore() {
        redis.ifBuilt(server -> server.ifPresent(RedisCache::dropConnections));
        signingKeys.ifBuilt(SigningKeys::markStale);
        verificationKeys.ifBuilt(SigningKeys::markStale);
        serviceClients.ifBuilt(ServiceClients::markStale);
        cursorSecrets.ifBuilt(CursorSecrets::markStale);
    }

    /**
     * Devices see a session only as live or ended, read consistently, as a request's token check sees it: ended when
     * revoked, run out, or ended by a password reset or change, or when its account no longer accepts it.
     */
    private static DeviceSessions liveSessions(SessionStore sessions, Duration idleTimeout, Clock clock) {
        return (userId, sessionId) -> sessions.findLive(userId, sessionId, clock.instant(), idleTimeout)
                .map(session -> new DeviceRegistration.InSession(session.id(), session.createdAt()));
    }

    /** Devices see their users only as existing (404 otherwise) and as having cached views to forget. */
    private static DeviceOwners deviceOwners(UserService users) {
        return new DeviceOwners() {
            @Override
            public void requireExists(String userId) {
                users.view(userId);
            }

            @Override
            public void devicesChanged(String userId) {
                users.forget(userId);
            }
        };
    }

    /**
     * Where the signing keys come from: their store (Secrets Manager in the cloud, a generated file on a developer
     * machine), or the set inline for sam local's containers, which cannot read the file.
     */
    private static Supplier<String> keySetSource(ServiceConfig config) {
        Optional<SigningKeyStore> store = signingKeyStore(config);
        if (store.isPresent()) {
            return store.get()::current;
        }
        String inline = config.jwtKeys().orElseThrow(() -> new IllegalStateException(
                "Configure JWT_KEYS_SECRET_ARN (AWS), or JWT_KEYS_FILE or JWT_KEYS (local runs), for the signing keys"));
        return () -> inline;
    }

    /** The signing keys' store, which a rotation can change; none for keys given inline. */
    private static Optional<SigningKeyStore> signingKeyStore(ServiceConfig config) {
        if (config.jwtKeysSecretArn().isPresent()) {
            return Optional.of(new SecretsManagerKeyStore(AwsClients.secretsManager(config), config.jwtKeysSecretArn().get()));
        }
        return config.jwtKeysFile().map(FileKeyStore::new);
    }

    /** The service clients: a secret in the cloud; locally the runner passes its development client inline. */
    private static Supplier<String> serviceClientsSource(ServiceConfig config) {
        if (config.serviceClientsSecretArn().isPresent()) {
            return secret(config, config.serviceClientsSecretArn().get());
        }
        String inline = config.serviceClients().orElse("{\"clients\":[]}");
        return () -> inline;
    }

    private static Supplier<String> cursorSecretSource(ServiceConfig config) {
        if (config.cursorSecretArn().isPresent()) {
            return secret(config, config.cursorSecretArn().get());
        }
        String inline = config.cursorSecret().orElseThrow(() -> new IllegalStateException(
                "Configure CURSOR_SECRET_ARN (AWS) or CURSOR_SECRET (local runs) for the list cursors' secret"));
        return () -> inline;
    }

    private static Supplier<String> secret(ServiceConfig config, String secretId) {
        SecretsManagerClient secrets = AwsClients.secretsManager(config);
        return () -> secrets.getSecretValue(request -> request.secretId(secretId)).secretString();
    }
}
