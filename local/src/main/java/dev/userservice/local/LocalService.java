package dev.userservice.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.auth.SecureTokens;
import dev.userservice.auth.SigningKeys;
import dev.userservice.http.RouteTable;
import dev.userservice.json.Json;
import dev.userservice.secrets.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole service on one machine, driven by {@code template.yaml}: DynamoDB Local, ElasticMQ and Redis, the
 * template's table and queues, every function with its own environment, and the HTTP API in front of them.
 */
public final class LocalService implements AutoCloseable {
    private static final String FUNCTION = "AWS::Serverless::Function";

    private final LocalServers servers;
    private final ApiServer api;
    private final Map<String, LocalFunction> functions;
    private final Path runtimeDir;
    private final boolean temporaryRuntimeDir;
    private final URI apiUrl;
    private final EventSources eventSources;
    private final DevelopmentClient serviceClient;
    private final Template template;
    private final Endpoints endpoints;
    private final DataDirectoryLock lock;

    private LocalService(Template template, LocalServers servers, ApiServer api, Map<String, LocalFunction> functions, Path runtimeDir,
                         boolean temporaryRuntimeDir, URI apiUrl, EventSources eventSources, DevelopmentClient serviceClient,
                         Endpoints endpoints, DataDirectoryLock lock) {
        this.template = template;
        this.servers = servers;
        this.api = api;
        this.functions = functions;
        this.runtimeDir = runtimeDir;
        this.temporaryRuntimeDir = temporaryRuntimeDir;
        this.apiUrl = apiUrl;
        this.eventSources = eventSources;
        this.serviceClient = serviceClient;
        this.endpoints = endpoints;
        this.lock = lock;
    }

    public static LocalService start(LocalOptions options) {
        Template template = Template.load(options.template());
        Path runtimeDir = runtimeDirectory(options);
        DataDirectoryLock lock = DataDirectoryLock.acquire(runtimeDir);
        LocalServers servers;
        try {
            servers = LocalServers.start(options, runtimeDir);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        try {
            LocalDeployment deployment;
            try (DynamoDbClient dynamo = dynamoDb(servers.dynamoDbEndpoint()); SqsClient sqs = sqs(servers.sqsEndpoint())) {
                deployment = LocalDeployment.create(template, servers.sqsEndpoint(), dynamo, sqs);
            }
            Path keys = signingKeys(runtimeDir);
            int apiPort = Ports.preferred(options.host(), options.apiPort());
            URI apiUrl = URI.create("http://localhost:" + apiPort);
            DevelopmentClient client = DevelopmentClient.loadOrCreate(runtimeDir);
            Endpoints endpoints = new Endpoints(apiUrl, servers.dynamoDbEndpoint(), servers.sqsEndpoint(), servers.redisUrl(),
                    servers.redisAuthority(), Optional.of(client), Optional.empty());
            Map<String, LocalFunction> functions = deployFunctions(template, deployment, endpoints, keys, options.environment(), name -> true);
            ApiServer api = ApiServer.start(options.host(), apiPort, routeTable(functions.values()), cors(template, deployment));
            EventSources eventSources = EventSources.start(template, deployment, functions, servers,
                    options.inMemoryData() ? Optional.empty() : Optional.of(runtimeDir), Optional.ofNullable(options.queueRetryDelay()),
                    options.runSchedules());
            LocalService service = new LocalService(template, servers, api, functions, runtimeDir, options.inMemoryData(), apiUrl,
                    eventSources, client, endpoints, lock);
            endpoints.write(runtimeDir.resolve(Endpoints.FILE));
            SamLocalEnvironment.write(runtimeDir.resolve(SamLocalEnvironment.FILE), functions.values(), keys);
            return service;
        } catch (RuntimeException e) {
            servers.close();
            lock.close();
            throw e;
        }
    }

    /**
     * The functions {@code wanted}, loaded once the template's custom resources are created (their attributes are in
     * functions' environments), as CloudFormation creates the custom resources before the functions that name them.
     */
    static Map<String, LocalFunction> deployFunctions(Template template, LocalDeployment deployment, Endpoints endpoints,
                                                      Path signingKeys, Map<String, String> overrides, Predicate<String> wanted) {
        deployment.customResourcesCreated(CustomResources.create(template, function ->
                loadFunctions(template, deployment, endpoints, signingKeys, overrides, function::equals).get(function)));
        return loadFunctions(template, deployment, endpoints, signingKeys, overrides, wanted);
    }

    /**
     * Loads every function of the template as Lambda would: the Globals environment, then the function's own,
     * resolved against the local deployment, then the local endpoints, then the caller's overrides.
     */
    static Map<String, LocalFunction> loadFunctions(Template template, LocalDeployment deployment, Endpoints endpoints,
                                                    Path signingKeys, Map<String, String> overrides,
                                                    Predicate<String> wanted) {
        Map<String, Object> globals = Template.child(template.section("Globals"), "Function");
        Map<String, LocalFunction> functions = new LinkedHashMap<>();
        String cursorSecret = cursorSecret(signingKeys);
        template.resourcesOfType(FUNCTION).forEach((name, resource) -> {
            if (!wanted.test(name)) {
                return;
            }
            Map<String, Object> properties = Template.properties(resource);
            Map<String, String> environment = new LinkedHashMap<>();
            Stream.of(globals, properties).forEach(level -> Template.child(Template.child(level, "Environment"), "Variables")
                    .forEach((variable, value) -> deployment.resolve(value).ifPresentOrElse(
                            resolved -> environment.put(variable, resolved), () -> environment.remove(variable))));
            Map<String, Object> declared = Template.child(Template.child(properties, "Environment"), "Variables");
            Map<String, String> local = endpoints.functionEnvironment(name);
            // The runner is a stack deployed with EnableCache=true, every function's REDIS_URL its Redis, but for a
            // function the template keeps off the cache (REDIS_URL: AWS::NoValue): as in AWS, it has none, so that a
            // dependency on the cache cannot work here and do nothing there. PUBLIC_BASE_URL likewise.
            if (declared.containsKey("REDIS_URL") && deployment.resolve(declared.get("REDIS_URL")).isEmpty()) {
                local.remove("REDIS_URL");
                local.remove("REDIS_CA_CERT");
            }
            if (!declared.containsKey("PUBLIC_BASE_URL")) {
                local.remove("PUBLIC_BASE_URL");
            }
            environment.putAll(local);
            // Locally the keys come from files, never from a cloud secret: each to the functions the template tells
            // where its secret is.
            environment.remove("JWT_KEYS_SECRET_ARN");
            environment.remove("SERVICE_CLIENTS_SECRET_ARN");
            environment.remove("CURSOR_SECRET_ARN");
            if (declared.containsKey("JWT_KEYS_SECRET_ARN")) {
                environment.put("JWT_KEYS_FILE", signingKeys.toAbsolutePath().toString());
            }
            if (declared.containsKey("CURSOR_SECRET_ARN")) {
                environment.put("CURSOR_SECRET", cursorSecret);
            }
            if (declared.containsKey("SERVICE_CLIENTS_SECRET_ARN")) {
                endpoints.serviceClient().ifPresent(client -> environment.put("SERVICE_CLIENTS", client.clientsDocument()));
            }
            if (declared.containsKey("KEY_SET_AUTHORITY_SECRET_ARN")) {
                environment.put("KEY_SET_AUTHORITY_FILE", keySetAuthority(signingKeys).toAbsolutePath().toString());
            }
            environment.putAll(overrides);
            Map<String, String> frozen = Map.copyOf(environment);

            String handler = String.valueOf(properties.get("Handler"));
            String handlerClass = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
            int memory = Template.integer(properties.getOrDefault("MemorySize", globals.get("MemorySize")), 128);
            int timeout = Template.integer(properties.getOrDefault("Timeout", globals.get("Timeout")), 3);
            IamPolicy policy = IamPolicy.of(name, properties);
            functions.put(name, new LocalFunction(name, handlerClass, frozen, memory, timeout, routes(properties), policy,
                    policy.runAs(() -> LocalFunction.instantiate(name, handlerClass, frozen))));
        });
        return Map.copyOf(functions);
    }

    private static RouteTable<LocalFunction> routeTable(Iterable<LocalFunction> functions) {
        List<RouteTable.Route<LocalFunction>> routes = new java.util.ArrayList<>();
        for (LocalFunction function : functions) {
            function.routes().forEach(route -> routes.add(new RouteTable.Route<>(route.method(), route.path(), function)));
        }
        return new RouteTable<>(routes);
    }

    private static List<LocalFunction.Route> routes(Map<String, Object> properties) {
        return Template.child(properties, "Events").values().stream()
                .map(Template::asMap)
                .filter(event -> "HttpApi".equals(event.get("Type")))
                .map(Template::properties)
                .map(event -> new LocalFunction.Route(
                        String.valueOf(event.getOrDefault("Method", "ANY")).toUpperCase(java.util.Locale.ROOT),
                        String.valueOf(event.get("Path"))))
                .toList();
    }

    private static Cors cors(Template template, LocalDeployment deployment) {
        for (Map<String, Object> resource : template.resourcesOfType("AWS::Serverless::HttpApi").values()) {
            Map<String, Object> cors = Template.child(Template.properties(resource), "CorsConfiguration");
            if (!cors.isEmpty()) {
                return new Cors(deployment.resolveList(cors.get("AllowOrigins")),
                        deployment.resolveList(cors.get("AllowMethods")),
                        deployment.resolveList(cors.get("AllowHeaders")),
                        deployment.resolveList(cors.get("ExposeHeaders")),
                        deployment.resolve(cors.get("MaxAge")));
            }
        }
        return Cors.none();
    }

    /** The development key pair: generated once, readable by this user only, kept with the data. */
    private static Path signingKeys(Path runtimeDir) {
        Path file = runtimeDir.resolve("jwt-keys.json");
        if (!Files.exists(file)) {
            PrivateFiles.write(file, SigningKeys.generateKeySetJson());
        }
        return file;
    }

    /** The development cursor secret, beside the signing keys: generated once, so cursors outlive a restart. */
    private static String cursorSecret(Path signingKeys) {
        Path file = signingKeys.resolveSibling("cursor-secret");
        return PrivateFiles.read(file).orElseGet(() -> {
            String generated = SecureTokens.newToken();
            PrivateFiles.write(file, generated);
            return generated;
        }).strip();
    }

    /**
     * The key-set authority's private key, beside the signing keys: made by the template's custom resource on the
     * first start, read by it and by the rotation, as their secret is in AWS.
     */
    private static Path keySetAuthority(Path signingKeys) {
        return signingKeys.resolveSibling("key-set-authority.json");
    }

    /** Where keys and endpoints.json go: the data directory, or a temporary one for an in-memory run; either readable by you only. */
    private static Path runtimeDirectory(LocalOptions options) {
        try {
            return options.inMemoryData() ? Files.createTempDirectory("user-service-local") : PrivateFiles.directory(options.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory", e);
        }
    }

    static DynamoDbClient dynamoDb(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.of(LocalServers.REGION))
                .credentialsProvider(LOCAL_CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    static SqsClient sqs(URI endpoint) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.of(LocalServers.REGION))
                .credentialsProvider(LOCAL_CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static final Duration STREAM_CATCH_UP_LIMIT = Duration.ofSeconds(30);
    private static final StaticCredentialsProvider LOCAL_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create(Endpoints.ACCESS_KEY, Endpoints.SECRET_KEY));

    public URI apiUrl() {
        return apiUrl;
    }

    public URI dynamoDbEndpoint() {
        return servers.dynamoDbEndpoint();
    }

    public URI sqsEndpoint() {
        return servers.sqsEndpoint();
    }

    /** {@code redis://localhost:PORT}, or {@code rediss://} when Redis has TLS. */
    public URI redisUrl() {
        return servers.redisUrl();
    }

    /** When Redis has TLS: the PEM file of the authority its certificate chains to (the functions' REDIS_CA_CERT). */
    public Optional<Path> redisAuthority() {
        return servers.redisAuthority();
    }

    /** Which redis-server runs, and whether with TLS. */
    public String redisDescription() {
        return servers.redisDescription();
    }

    /** The development service client: its id and secret, for the service-token grant. */
    public Map<String, Object> serviceClient() {
        return serviceClient.toJson();
    }

    /**
     * The development admin of this data directory, made on the first call for it (an in-memory run: each start),
     * and named in endpoints.json. {@code local/start} offers it; tests make their own admins.
     */
    public Map<String, Object> developmentAdmin() {
        DevelopmentAdmin admin = DevelopmentAdmin.loadOrCreate(runtimeDir, this);
        endpoints.withAdmin(admin).write(runtimeDir.resolve(Endpoints.FILE));
        return admin.toJson();
    }

    public Path runtimeDirectory() {
        return runtimeDir;
    }

    /** The environment a function runs with here: what its configuration sees. */
    public Map<String, String> functionEnvironment(String function) {
        return Optional.ofNullable(functions.get(function)).map(LocalFunction::environment)
                .orElseThrow(() -> new IllegalArgumentException("No function " + function + " in the template"));
    }

    /**
     * Invokes one function with one event on the servers of a service that is already running (its endpoints and
     * data directory), the way {@code invoke} does while {@code local/start} is up.
     */
    static byte[] invokeOnRunningService(LocalOptions options, Endpoints endpoints, String function, byte[] event) {
        Template template = Template.load(options.template());
        LocalDeployment deployment;
        try (DynamoDbClient dynamo = dynamoDb(endpoints.dynamoDb()); SqsClient sqs = sqs(endpoints.sqs())) {
            deployment = LocalDeployment.create(template, endpoints.sqs(), dynamo, sqs);
        }
        Path runtimeDir = runtimeDirectory(options);
        Path keys = signingKeys(runtimeDir);
        Endpoints withClient = new Endpoints(endpoints.api(), endpoints.dynamoDb(), endpoints.sqs(), endpoints.redis(),
                endpoints.redisAuthority(), Optional.of(DevelopmentClient.loadOrCreate(runtimeDir)), Optional.empty());
        LocalFunction target = deployFunctions(template, deployment, withClient, keys, options.environment(), function::equals)
                .get(function);
        if (target == null) {
            throw new IllegalArgumentException("No function " + function + " in the template");
        }
        return target.invoke(event);
    }

    /**
     * Returns once every change written to the table before the call has gone through the stream consumers (the
     * outbox publisher has sent its events): what a test waits for before saying an event was not published.
     */
    public void awaitStreamsCaughtUp() {
        try {
            eventSources.awaitStreamsCaughtUp(STREAM_CATCH_UP_LIMIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the stream consumers", e);
        }
    }

    /** Invokes one function with one event, as {@code sam local invoke} does, and returns its answer. */
    public byte[] invoke(String function, byte[] event) {
        return function(function).invoke(event);
    }

    /**
     * Runs a function's SnapStart hooks as Lambda does when it takes a snapshot of the function: on the handler
     * instance that serves its invocations here, under its own permissions. No snapshot is taken: the same JVM
     * goes on, so {@link #afterRestore} is what a restored copy would run before its first request.
     */
    public void beforeCheckpoint(String function) {
        function(function).beforeCheckpoint();
    }

    public void afterRestore(String function) {
        function(function).afterRestore();
    }

    /**
     * Builds a new handler of a function as Lambda's on-demand init does ({@code AWS_LAMBDA_INITIALIZATION_TYPE}
     * {@code on-demand}), under the function's own permissions, and returns it; the handler that serves the function
     * here stays as it is. The runner's own handlers are built with neither initialisation type, as locally.
     */
    public RequestStreamHandler initialiseOnDemand(String function) {
        return function(function).initialiseOnDemand();
    }

    /**
     * Rotates a secret as Secrets Manager does when its schedule comes due: the template's rotation schedule for
     * it names the rotation function, which is invoked with each of the four steps of one new version. Here the
     * secret's store is the runner's key file, so the signing keys really rotate, while every function keeps
     * running; they see the new set within their refresh interval ({@code JWT_KEYS_REFRESH_SECONDS}).
     * {@code sam-env.json} is written again, so {@code sam local} started afterwards gets the new set.
     *
     * @return the version id of the rotation
     */
    public String rotateSecret(String secret) {
        String version = rotate(template, secret, this::invoke);
        SamLocalEnvironment.write(runtimeDir.resolve(SamLocalEnvironment.FILE), functions.values(), signingKeys(runtimeDir));
        return version;
    }

    /**
     * {@link #rotateSecret} for a service that is already running, the way {@code rotate-secret} does while
     * {@code local/start} is up: the rotation function runs here on that service's key file.
     */
    static String rotateSecretOfRunningService(LocalOptions options, Endpoints endpoints, String secret) {
        return rotate(Template.load(options.template()), secret,
                (function, event) -> invokeOnRunningService(options, endpoints, function, event));
    }

    /**
     * Secrets Manager's part of a rotation: the four steps of one new version, each handed to the rotation function.
     * A step that fails throws out of the function; one it refuses answers with the error envelope.
     */
    private static String rotate(Template template, String secret, BiFunction<String, byte[], byte[]> invoke) {
        String rotationFunction = rotationFunctionOf(template, secret);
        String version = UUID.randomUUID().toString();
        for (String step : List.of("createSecret", "setSecret", "testSecret", "finishSecret")) {
            byte[] answer = invoke.apply(rotationFunction,
                    Json.writeBytes(Map.of("SecretId", secret, "ClientRequestToken", version, "Step", step)));
            if (Json.parse(answer) instanceof Map<?, ?> refusal && Boolean.FALSE.equals(refusal.get("success"))) {
                throw new IllegalStateException(rotationFunction + " refused " + step + ": " + refusal.get("error"));
            }
        }
        return version;
    }

    /** The function that the template's {@code AWS::SecretsManager::RotationSchedule} of {@code secret} names. */
    static String rotationFunctionOf(Template template, String secret) {
        return template.resourcesOfType("AWS::SecretsManager::RotationSchedule").values().stream()
                .map(Template::properties)
                .filter(schedule -> Map.of("Ref", secret).equals(schedule.get("SecretId")))
                .map(schedule -> schedule.get("RotationLambdaARN"))
                .filter(arn -> arn instanceof Map<?, ?> getAtt && getAtt.get("Fn::GetAtt") instanceof List<?>)
                .map(arn -> String.valueOf(((List<?>) ((Map<?, ?>) arn).get("Fn::GetAtt")).getFirst()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No rotation schedule in the template rotates " + secret));
    }

    /** The template's functions, by name. */
    public Set<String> functionNames() {
        return functions.keySet();
    }

    private LocalFunction function(String name) {
        LocalFunction target = functions.get(name);
        if (target == null) {
            throw new IllegalArgumentException("No function " + name + " in the template; it has " + functions.keySet());
        }
        return target;
    }

    /** Stops the Redis server, as an outage would; {@link #startRedis()} brings it back on the same port. */
    public void stopRedis() {
        servers.stopRedis();
    }

    public void startRedis() {
        servers.startRedis();
    }

    @Override
    public void close() {
        try {
            api.close();
            eventSources.close();
            servers.close();
            Files.deleteIfExists(runtimeDir.resolve(Endpoints.FILE));
        } catch (IOException e) {
            System.err.println("local: could not clean up " + runtimeDir + ": " + e.getMessage());
        } finally {
            // Whatever failed above, the directory is this runner's no longer.
            lock.close();
        }
        if (temporaryRuntimeDir) {
            try (Stream<Path> files = Files.walk(runtimeDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("local: could not clean up " + runtimeDir + ": " + e.getMessage());
            }
        }
    }
}
