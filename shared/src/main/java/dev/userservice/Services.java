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
import dev.userservice.auth.KeyRotation;
import dev.userservice.auth.OpenIdConfiguration;
import dev.userservice.auth.PasswordHasher;
import dev.userservice.auth.PasswordPolicy;
import dev.userservice.auth.Role;
import dev.userservice.auth.ServiceClients;
import dev.userservice.auth.SigningKeyStore;
import dev.userservice.auth.SigningKeys;
import dev.userservice.aws.AwsClients;
import dev.userservice.cache.Cache;
import dev.userservice.cache.MeteredCache;
import dev.userservice.cache.PrimingSafeCache;
import dev.userservice.cache.RedisCache;
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
import dev.userservice.http.HttpRuntime;
import dev.userservice.http.Idempotency;
import dev.userservice.notifications.NotificationHistory;
import dev.userservice.notifications.StatusRecorder;
import dev.userservice.paging.Cursors;
import dev.userservice.preferences.PreferencesService;
import dev.userservice.profiles.NotificationProfiles;
import dev.userservice.ratelimit.RateLimiter;
import dev.userservice.secrets.FileKeyStore;
import dev.userservice.secrets.SecretsManagerKeyStore;
import dev.userservice.sessions.AuthService;
import dev.userservice.sessions.SessionGuard;
import dev.userservice.sessions.SessionLimit;
import dev.userservice.sessions.SessionService;
import dev.userservice.sessions.SessionStore;
import dev.userservice.sessions.TokenService;
import dev.userservice.snapstart.Wiring;
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
import dev.userservice.store.DynamoUserDirectory;
import dev.userservice.store.DynamoProfileInputsStore;
import dev.userservice.store.DynamoRateCounters;
import dev.userservice.store.DynamoSessionStore;
import dev.userservice.store.DynamoStaleDeviceStore;
import dev.userservice.store.DynamoUserStore;
import dev.userservice.store.OutboxTokens;
import dev.userservice.store.Item;
import dev.userservice.store.Keys;
import dev.userservice.store.OneTimeTokens;
import dev.userservice.users.AccountErasure;
import dev.userservice.users.AccountTypes;
import dev.userservice.users.UserService;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
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
    private final Clock clock = Clock.systemUTC();
    private final Once<DynamoDbClient> dynamoDb;
    /**
     * Built by {@link #sqs()}, not through {@link #once}: a lambda returning an SqsClient names that class when this
     * object is built, and only the jars of the functions that call SQS (health, pipeline) carry it.
     */
    private SqsClient sqs;
    private final Once<Optional<RedisCache>> redis;
    private final Once<Cache> cache;
    private final Supplier<DynamoSessionStore> sessionStore;
    private final Supplier<DynamoUserStore> userStore;
    private final Supplier<DynamoDeviceStore> deviceStore;
    private final Supplier<DeviceService> deviceService;
    private final Supplier<StaleDevices> staleDevices;
    private final Once<SigningKeys> signingKeys;
    private final Supplier<SessionGuard> sessionGuard;
    private final Supplier<RateLimiter> rateLimiter;
    private final Once<AccessTokens> accessTokens;
    private final Once<PasswordHasher> passwordHasher;
    private final Supplier<PasswordPolicy> passwordPolicy;
    private final Supplier<AuthService> authService;
    private final Supplier<RegistrationService> registrationService;
    private final Supplier<ServiceClients> serviceClients;
    private final Supplier<TokenService> tokenService;
    private final Supplier<OneTimeTokens> oneTimeTokens;
    private final Supplier<UserService> userService;
    private final Supplier<AccountErasure> accountErasure;
    private final Supplier<AccountService> accountService;
    private final Supplier<Cursors> cursors;
    private final Supplier<UserAdministration> userAdministration;
    private final AccountTypes accountTypes;
    private final Supplier<AdminAccounts> adminAccounts;
    private final Supplier<PlanChanges> planChanges;
    private final Supplier<Profiles> profiles;
    private final Supplier<UserSearch> userSearch;
    private final Supplier<DynamoCredentialStore> credentialStore;
    private final Supplier<SessionService> sessionService;
    private final Supplier<PasswordFlows> passwordFlows;
    private final Supplier<EmailVerification> emailVerification;
    private final Supplier<DynamoPreferencesStore> preferencesStore;
    private final Supplier<PreferencesService> preferencesService;
    private final Supplier<NotificationProfiles> notificationProfiles;
    private final Supplier<DynamoNotificationStore> notificationStore;
    private final Supplier<StatusRecorder> statusRecorder;
    private final Supplier<NotificationHistory> notificationHistory;
    private final Supplier<UserStatistics> userStatistics;
    private final Supplier<ServiceMetrics> serviceMetrics;
    private final Supplier<HttpRuntime> httpRuntime;
    private final Supplier<HealthCheck> healthCheck;
    private final Supplier<EventPublisher> eventPublisher;
    private final Supplier<OutboxPublishing> outboxPublishing;

    private Services(ServiceConfig config) {
        this.config = config;
        accountTypes = accountTypes(config);
        dynamoDb = once(() -> AwsClients.dynamoDb(config));
        redis = once(() -> config.redisUrl().map(url -> new RedisCache(url, config.redisCaCertificate(), CACHE_TIMEOUT, clock)));
        cache = once(() -> new MeteredCache(new PrimingSafeCache(redis.get().<Cache>map(server -> server).orElseGet(Cache::none))));
        deviceStore = once(() -> new DynamoDeviceStore(dynamoDb.get(), config.tableName()));
        oneTimeTokens = once(() -> new OneTimeTokens(dynamoDb.get(), config.tableName()));
        // Ending a session deactivates its devices in the revocation's own transaction; SessionGuard forgets the
        // user's cached views once that has committed.
        sessionStore = once(() -> new DynamoSessionStore(dynamoDb.get(), config.tableName(), config.sessionIdleTimeout(),
                deviceStore.get()));
        userStore = once(() -> new DynamoUserStore(dynamoDb.get(), config.tableName(), sessionStore.get(),
                oneTimeTokens.get(), deviceStore.get(), accountTypes.defaultType(), config.plans().defaultPlan()));
        signingKeys = once(() -> new SigningKeys(keySetSource(config), config.jwtKeysRefreshInterval(), clock));
        sessionGuard = once(() -> new SessionGuard(sessionStore.get(), cache.get(), config.sessionIdleTimeout(),
                config.accessTokenTtl(), clock));
        rateLimiter = once(() -> new RateLimiter(cache.get(), new DynamoRateCounters(dynamoDb.get(), config.tableName()), clock));
        accessTokens = once(() -> new AccessTokens(signingKeys.get(), config.jwtIssuer(), config.jwtAudience(),
                config.accessTokenTtl(), clock));
        passwordHasher = once(() -> new PasswordHasher(config.bcryptCost()));
        passwordPolicy = once(() -> new PasswordPolicy(config.passwordMinLength()));
        authService = once(() -> new AuthService(
                userStore.get(),
                sessionStore.get(),
                sessionGuard.get(),
                accessTokens.get(),
                passwordHasher.get(),
                rateLimiter.get(),
                config.rateLimits(),
                config.sessionIdleTimeout(),
                config.sessionMaxLifetime(),
                new SessionLimit(config.maxLiveSessions()),
                clock));
        registrationService = once(() -> new RegistrationService(userStore.get(), userService(), accessTokens.get(),
                passwordHasher.get(), rateLimiter.get(), config.rateLimits(), config.sessionMaxLifetime(), accountTypes, config.plans(), clock));
        serviceClients = once(() -> new ServiceClients(serviceClientsSource(config), clock));
        tokenService = once(() -> new TokenService(serviceClients.get(), accessTokens.get(), sessionGuard.get(), userStore.get()));
        userService = once(() -> new UserService(userStore.get(), cache.get(), clock));
        deviceService = once(() -> new DeviceService(deviceStore.get(), liveSessions(sessionStore.get()),
                deviceOwners(userService.get()), new InactiveDeviceLimit(config.maxInactiveDevices()), clock));
        staleDevices = once(() -> new StaleDevices(new DynamoStaleDeviceStore(dynamoDb.get(), config.tableName(), deviceStore.get()),
                userService.get()::forget, clock));
        accountErasure = once(() -> new DynamoAccountErasure(dynamoDb.get(), config.tableName()));
        accountService = once(() -> new AccountService(userStore.get(), userService.get(), passwordHasher.get(),
                sessionGuard.get(), accountErasure.get(), rateLimiter.get(), config.rateLimits(), clock));
        // Cursors need no secret of their own: theirs is derived from the signing key (and dies with it).
        cursors = once(() -> new Cursors(() -> signingKeys.get().derivedSecret("list cursors")));
        userAdministration = once(() -> new UserAdministration(userStore.get(), userService.get(), sessionGuard.get(),
                cursors.get(), accountTypes, clock));
        adminAccounts = once(() -> new AdminAccounts(userStore.get(), userStore.get(), userService.get(), sessionGuard.get(),
                accountErasure.get(), passwordHasher.get(), config.plans(), clock));
        planChanges = once(() -> new PlanChanges(userStore.get(), userService.get(), config.plans(),
                config.selfServiceUpgrade(), clock));
        profiles = once(() -> new Profiles(userStore.get(), new DynamoProfileStore(dynamoDb.get(), config.tableName()),
                config.plans(), clock));
        userSearch = once(() -> new UserSearch(userStore.get(), new DynamoUserDirectory(dynamoDb.get(), config.tableName()),
                config.plans(), cursors.get(), rateLimiter.get(), config.rateLimits().search()));
        credentialStore = once(() -> new DynamoCredentialStore(dynamoDb.get(), config.tableName(), oneTimeTokens.get()));
        sessionService = once(() -> new SessionService(sessionStore.get(), sessionGuard.get(), config.sessionIdleTimeout(), clock));
        passwordFlows = once(() -> new PasswordFlows(userStore.get(), credentialStore.get(), sessionGuard.get(),
                userService.get(), passwordHasher.get(), passwordPolicy.get(), rateLimiter.get(), config.rateLimits(), clock));
        emailVerification = once(() -> new EmailVerification(userStore.get(), credentialStore.get(), userService.get(),
                rateLimiter.get(), config.rateLimits(), clock));
        preferencesStore = once(() -> new DynamoPreferencesStore(dynamoDb.get(), config.tableName()));
        preferencesService = once(() -> new PreferencesService(preferencesStore.get(), cache.get(), userService.get(), clock));
        notificationProfiles = once(() -> new NotificationProfiles(
                new DynamoProfileInputsStore(dynamoDb.get(), config.tableName()), cache.get(), clock));
        notificationStore = once(() -> new DynamoNotificationStore(dynamoDb.get(), config.tableName(),
                deviceStore.get()));
        statusRecorder = once(() -> new StatusRecorder(notificationStore.get(), userService.get()::forget, clock));
        notificationHistory = once(() -> new NotificationHistory(notificationStore.get(),
                userService.get()::view, cursors.get()));
        userStatistics = once(() -> new UserStatistics(sessionService.get(), deviceService.get(),
                notificationStore.get(), clock));
        serviceMetrics = once(() -> new ServiceMetrics(new DynamoCounterStore(dynamoDb.get(), config.tableName()), clock));
        healthCheck = once(() -> new HealthCheck(
                DynamoHealthProbe.of(dynamoDb, config.tableName()),
                config.redisUrl().map(url -> () -> cache.get().ping()),
                config.userEventsQueueUrl().map(queueUrl -> SqsQueueProbe.of(this::sqs, queueUrl)),
                config.serviceVersion()));
        eventPublisher = once(() -> new SqsEventPublisher(sqs(), config.userEventsQueueUrl()
                .orElseThrow(() -> new IllegalStateException("USER_EVENTS_QUEUE_URL is required to publish events"))));
        outboxPublishing = once(() -> new OutboxPublishing(eventPublisher.get(), new OutboxTokens(dynamoDb.get(), config.tableName())));
        // The authenticator reaches the signing keys, and the replay store the DynamoDB client, only when a request
        // needs them, so a function's start builds neither for nothing.
        httpRuntime = once(() -> new HttpRuntime(
                config.functionName(),
                token -> authService.get().authenticate(token),
                once(() -> new Idempotency(new DynamoIdempotencyStore(dynamoDb.get(), config.tableName()), clock)),
                this));
    }

    /** The services for this environment, built on the first call and shared by every later one. */
    public static Services of(Map<String, String> environment) {
        return BY_ENVIRONMENT.computeIfAbsent(Map.copyOf(environment), env -> new Services(ServiceConfig.from(env)));
    }

    public Clock clock() {
        return clock;
    }

    private synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = AwsClients.sqs(config);
        }
        return sqs;
    }

    /**
     * The health check: the table, and the cache and the user-events queue where they are configured (the others
     * report {@code disabled}). The probes build their clients only when the check runs.
     */
    public HealthCheck healthCheck() {
        return healthCheck.get();
    }

    /** The publisher of outbox events to the user-events queue; {@code USER_EVENTS_QUEUE_URL} must be set. */
    public EventPublisher eventPublisher() {
        return eventPublisher.get();
    }

    /** The outbox's publishing: the events to the user-events queue, then the published tokens out of the table. */
    public OutboxPublishing outboxPublishing() {
        return outboxPublishing.get();
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
        return new KeyRotation(signingKeyStore(config).orElseThrow(() -> new IllegalStateException(
                "Rotation needs a key store: configure JWT_KEYS_SECRET_ARN (AWS) or JWT_KEYS_FILE (local runs)")));
    }

    public SigningKeys signingKeys() {
        return signingKeys.get();
    }

    public DeviceService deviceService() {
        return deviceService.get();
    }

    public StaleDevices staleDevices() {
        return staleDevices.get();
    }

    public PasswordPolicy passwordPolicy() {
        return passwordPolicy.get();
    }

    public AuthService authService() {
        return authService.get();
    }

    public RegistrationService registrationService() {
        return registrationService.get();
    }

    public TokenService tokenService() {
        return tokenService.get();
    }

    public UserService userService() {
        return userService.get();
    }

    public AccountErasure accountErasure() {
        return accountErasure.get();
    }

    public AccountService accountService() {
        return accountService.get();
    }

    public UserAdministration userAdministration() {
        return userAdministration.get();
    }

    public AdminAccounts adminAccounts() {
        return adminAccounts.get();
    }

    /** The deployment's account types ({@code ACCOUNT_TYPES}), checked when the service starts. */
    public AccountTypes accountTypes() {
        return accountTypes;
    }

    private static AccountTypes accountTypes(ServiceConfig config) {
        try {
            return AccountTypes.parse(config.accountTypes());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Configuration ACCOUNT_TYPES must be " + e.getMessage());
        }
    }

    public PlanChanges planChanges() {
        return planChanges.get();
    }

    public Profiles profiles() {
        return profiles.get();
    }

    public UserSearch userSearch() {
        return userSearch.get();
    }

    public SessionService sessionService() {
        return sessionService.get();
    }

    public PasswordFlows passwordFlows() {
        return passwordFlows.get();
    }

    public EmailVerification emailVerification() {
        return emailVerification.get();
    }

    public PreferencesService preferencesService() {
        return preferencesService.get();
    }

    public NotificationProfiles notificationProfiles() {
        return notificationProfiles.get();
    }

    public StatusRecorder statusRecorder() {
        return statusRecorder.get();
    }

    public NotificationHistory notificationHistory() {
        return notificationHistory.get();
    }

    public UserStatistics userStatistics() {
        return userStatistics.get();
    }

    public ServiceMetrics serviceMetrics() {
        return serviceMetrics.get();
    }

    public HttpRuntime httpRuntime() {
        return httpRuntime.get();
    }

    @Override
    public boolean initialisingSnapshot() {
        return config.initialisingSnapshot();
    }

    @Override
    public String accessTokenOfNobody() {
        return accessTokens.get().issue(UUID.randomUUID().toString(), UUID.randomUUID().toString(), Set.of(Role.USER), false)
                .token();
    }

    @Override
    public void warmUp() {
        String nobody = UUID.randomUUID().toString();
        cache.ifBuilt(built -> built.get("priming:{" + nobody + "}"));
        dynamoDb.ifBuilt(client -> client.getItem(request -> request.tableName(config.tableName())
                .key(Item.keyOf(Keys.user(nobody), Keys.PROFILE))));
        passwordHasher.ifBuilt(hasher -> hasher.verifyDecoy(nobody));
        accessTokens.ifBuilt(tokens -> tokens.issue(nobody, nobody, Set.of(Role.USER), false));
    }

    /**
     * Redis connections opened before the snapshot are closed: their server forgot them long ago. The signing keys
     * are read again at their next use: rotations may have happened since. The AWS clients need nothing: their
     * URL-connection HTTP client reuses idle connections from the JDK's keep-alive cache, which hands out none idle
     * longer than its keep-alive time (5 s unless the server sets one) by the wall clock, and a restore comes long
     * after the snapshot; should a call still meet a dead connection, the SDK retries it (IOExceptions are
     * retryable). Nothing is seeded here: all randomness comes from SecureRandom, which Lambda keeps unique across
     * restores (see {@code Jitter}).
     */
    @Override
    public void afterRestore() {
        redis.ifBuilt(server -> server.ifPresent(RedisCache::dropConnections));
        signingKeys.ifBuilt(SigningKeys::markStale);
    }

    /** Devices see a session only as live (neither revoked nor gone) or ended, read consistently. */
    private static DeviceSessions liveSessions(SessionStore sessions) {
        return (userId, sessionId) -> sessions.find(userId, sessionId, true)
                .filter(session -> session.revokedAt() == null)
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

    private static Supplier<String> secret(ServiceConfig config, String secretId) {
        SecretsManagerClient secrets = AwsClients.secretsManager(config);
        return () -> secrets.getSecretValue(request -> request.secretId(secretId)).secretString();
    }

    private static <T> Once<T> once(Supplier<T> builder) {
        return new Once<>(builder);
    }

    /** A thread-safe memo: the first caller builds the value, everyone after gets the same one. */
    private static final class Once<T> implements Supplier<T> {
        private final Supplier<T> builder;
        private volatile T value;

        Once(Supplier<T> builder) {
            this.builder = builder;
        }

        @Override
        public T get() {
            T current = value;
            if (current == null) {
                synchronized (this) {
                    current = value;
                    if (current == null) {
                        current = builder.get();
                        value = current;
                    }
                }
            }
            return current;
        }

        /** Uses the value only if someone has built it already. */
        void ifBuilt(Consumer<T> use) {
            T current = value;
            if (current != null) {
                use.accept(current);
            }
        }
    }
}
