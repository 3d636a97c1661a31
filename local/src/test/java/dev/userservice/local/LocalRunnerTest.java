package dev.userservice.local;

import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.json.Json;
import dev.userservice.local.e2e.Api;
import dev.userservice.local.e2e.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's own promises: data kept across restarts, busy ports replaced, endpoints published, invoke, CORS. */
class LocalRunnerTest {
    private static final String PASSWORD = "lilac tractor honey window";

    @TempDir
    Path temporary;
    /** With a space, as a clone under "~/Code Projects" has: Redis's configuration must quote it. */
    Path dataDir;

    @BeforeEach
    void makeDataDirectory() throws IOException {
        dataDir = Files.createDirectories(temporary.resolve("local data"));
    }

    @Test
    void dataAndSigningKeysSurviveARestart() {
        LocalOptions options = persistentOptions();
        String email = "restart-" + UUID.randomUUID() + "@example.com";
        String accessToken;
        try (LocalService first = LocalService.start(options)) {
            Api.Response registered = new Api(first.apiUrl()).post("/api/v1/auth/register",
                    Map.of("email", email, "password", PASSWORD, "name", "Restart"));
            assertEquals(201, registered.status(), registered.text());
            accessToken = (String) registered.data().get("access_token");
        }
        List<Path> progress = streamProgressFiles();
        assertEquals(2, progress.size(), () -> "each stream consumer's progress is kept: " + progress);
        progress.forEach(file -> assertTrue(file.getFileName().toString().endsWith(".json")
                && !Json.parseObject(read(file)).isEmpty(), () -> "progress written whole, moved into place: " + file));

        try (LocalService second = LocalService.start(options)) {
            Api api = new Api(second.apiUrl());
            assertEquals(200, api.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD)).status(),
                    "the account is still there");
            assertEquals(200, api.get("/api/v1/users/me", "Authorization", bearer(accessToken)).status(),
                    "a token from before the restart still verifies: the keys were kept");
        }
    }

    private List<Path> streamProgressFiles() {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.filter(file -> file.getFileName().toString().startsWith("stream-progress-")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A second runner on the same data would share DynamoDB Local's files, Redis's and the streams' positions. */
    @Test
    void aSecondRunnerOnTheSameDataDirectoryIsRefusedUntilTheFirstStops() {
        LocalOptions options = persistentOptions();
        try (LocalService first = LocalService.start(options)) {
            DataDirectoryLock.InUse refused = assertThrows(DataDirectoryLock.InUse.class, () -> LocalService.start(options));
            assertTrue(refused.getMessage().contains(dataDir.toAbsolutePath().toString()), refused.getMessage());
            assertTrue(Files.exists(dataDir.resolve("endpoints.json")), "the first runner's endpoints are left as they were");
        }
        try (LocalService again = LocalService.start(options)) {
            assertEquals(200, new Api(again.apiUrl()).get("/health").status());
        }
    }

    @Test
    void endpointsFileNamesTheRunningServersAndGoesAwayOnStop() {
        Path endpointsFile = dataDir.resolve("endpoints.json");
        try (LocalService service = LocalService.start(persistentOptions())) {
            Map<String, Object> endpoints = Json.parseObject(read(endpointsFile));
            assertEquals(service.apiUrl().toString(), endpoints.get("api"));
            assertEquals(service.dynamoDbEndpoint().toString(), endpoints.get("dynamodb"));
            assertEquals(service.sqsEndpoint().toString(), endpoints.get("sqs"));
            assertEquals(service.redisUrl().toString(), endpoints.get("redis"));
        }
        assertFalse(Files.exists(endpointsFile), "a stopped service leaves no endpoints behind for invoke to trust");
    }

    /**
     * The runner is a stack with its cache, but a function the template keeps off the cache has none here either, as
     * in AWS: one that came to depend on the cache would otherwise work locally and do nothing deployed.
     */
    @Test
    void aFunctionTheTemplateKeepsOffTheCacheIsGivenNoRedis() {
        try (LocalService service = LocalService.start(LocalOptions.inMemory())) {
            for (String offTheCache : List.of("JwksFunction", "OutboxPublisherFunction", "PublishKeySetFunction", "ServiceInfoFunction")) {
                assertFalse(service.functionEnvironment(offTheCache).containsKey("REDIS_URL"), offTheCache);
            }
            assertEquals(service.redisUrl().toString(), service.functionEnvironment("GetCurrentUserFunction").get("REDIS_URL"));
            assertTrue(service.functionEnvironment("ServiceInfoFunction").containsKey("PUBLIC_BASE_URL"));
            assertFalse(service.functionEnvironment("GetCurrentUserFunction").containsKey("PUBLIC_BASE_URL"));
        }
    }

    /** The table holds password hashes and mailed tokens: no server of the runner answers on the network by default. */
    @Test
    void everyServerListensOnThisMachineOnly() throws IOException {
        Optional<InetAddress> networkAddress = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .findFirst();
        Assumptions.assumeTrue(networkAddress.isPresent(), "this machine has no network address to try");
        try (LocalService service = LocalService.start(LocalOptions.inMemory())) {
            for (URI endpoint : List.of(service.apiUrl(), service.dynamoDbEndpoint(), service.sqsEndpoint(), service.redisUrl())) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(networkAddress.get(), endpoint.getPort()), 1000);
                    throw new AssertionError(endpoint + " answers on " + networkAddress.get());
                } catch (ConnectException refused) {
                    // as it should
                }
            }
        }
    }

    /** A function that dies (an Error, which nothing in the service catches) is API Gateway's bare 500, not a hung request. */
    @Test
    void aFunctionThatDiesIsAnsweredAsApiGatewayAnswersIt() throws Exception {
        Path template = Path.of(Objects.requireNonNull(LocalRunnerTest.class.getResource("/crash-template.yaml")).toURI());
        try (LocalService service = LocalService.start(LocalOptions.inMemory().withTemplate(template))) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(service.apiUrl().resolve("/crash"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(500, response.statusCode());
            assertEquals("{\"message\":\"Internal Server Error\"}", response.body());
        }
    }

    /** A function past its Timeout (one second here) ends as Lambda ends it: a function error, API Gateway's bare 500. */
    @Test
    void aFunctionPastItsTimeoutIsAnsweredAsApiGatewayAnswersIt() throws Exception {
        Path template = Path.of(Objects.requireNonNull(LocalRunnerTest.class.getResource("/crash-template.yaml")).toURI());
        try (LocalService service = LocalService.start(LocalOptions.inMemory().withTemplate(template))) {
            long started = System.nanoTime();
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(service.apiUrl().resolve("/slow"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            Duration waited = Duration.ofNanos(System.nanoTime() - started);

            assertEquals(500, response.statusCode());
            assertEquals("{\"message\":\"Internal Server Error\"}", response.body());
            assertTrue(waited.compareTo(Duration.ofSeconds(1)) >= 0 && waited.compareTo(Duration.ofSeconds(20)) < 0,
                    "answered after " + waited);
        }
    }

    /** A HEAD answer is the headers alone: the JDK's server refuses a body there, and the runner wrote one. */
    @Test
    void aHeadRequestIsAnsweredWithHeadersAndNoBody() throws Exception {
        Path template = Path.of(Objects.requireNonNull(LocalRunnerTest.class.getResource("/crash-template.yaml")).toURI());
        try (LocalService service = LocalService.start(LocalOptions.inMemory().withTemplate(template))) {
            List<HttpResponse<String>> answers = new ArrayList<>();
            String printed = captured(System.err, System::setErr, () -> {
                try {
                    answers.add(HttpClient.newHttpClient().send(HttpRequest.newBuilder(service.apiUrl().resolve("/crash"))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString()));
                    // The server's thread writes the body after the headers the client has: give it time to fail.
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            });

            assertEquals(405, answers.getFirst().statusCode());
            assertEquals(Optional.of("GET"), answers.getFirst().headers().firstValue("Allow"));
            assertEquals("", answers.getFirst().body());
            assertFalse(printed.contains("request failed"), printed);
        }
    }

    @Test
    void aBusyApiPortIsReplacedByAFreeOne() throws IOException {
        try (ServerSocket occupied = new ServerSocket()) {
            occupied.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int busy = occupied.getLocalPort();
            try (LocalService service = LocalService.start(LocalOptions.inMemory().withPort(busy))) {
                assertNotEquals(busy, service.apiUrl().getPort());
                assertEquals(200, new Api(service.apiUrl()).get("/health").status());
            }
        }
    }

    @Test
    void invokeRunsAFunctionOnTheRunningServiceData() throws IOException {
        LocalOptions options = persistentOptions();
        try (LocalService service = LocalService.start(options)) {
            String email = "invoked-" + UUID.randomUUID() + "@example.com";
            Path event = dataDir.resolve("register-event.json");
            Files.writeString(event, Json.write(Map.of(
                    "version", "2.0",
                    "routeKey", "POST /api/v1/auth/register",
                    "rawPath", "/api/v1/auth/register",
                    "headers", Map.of("content-type", "application/json"),
                    "requestContext", Map.of("http", Map.of("method", "POST", "path", "/api/v1/auth/register", "sourceIp", "198.51.100.7")),
                    "body", Json.write(Map.of("email", email, "password", PASSWORD, "name", "Invoked")),
                    "isBase64Encoded", false)));

            String printed = captured(System.out, System::setOut, () -> assertEquals(0, Main.invoke(options, "RegisterFunction", event)));

            Map<String, Object> answer = Json.parseObject(printed.strip());
            assertEquals(201L, answer.get("statusCode"), printed);
            assertEquals(200, new Api(service.apiUrl()).post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD)).status(),
                    "the invoked function wrote to the running service's DynamoDB");
        }
    }

    /** With no service running, invoke starts the servers itself; what they print goes to standard error, not the answer's. */
    @Test
    void invokeWithNoServiceRunningPrintsTheAnswerAloneOnStandardOutput() throws IOException {
        Path event = dataDir.resolve("health-event.json");
        Files.writeString(event, Json.write(Map.of("version", "2.0", "routeKey", "GET /health", "rawPath", "/health",
                "requestContext", Map.of("http", Map.of("method", "GET", "path", "/health", "sourceIp", "198.51.100.7")),
                "isBase64Encoded", false)));

        String printed = captured(System.out, System::setOut, () -> assertEquals(0, Main.invoke(persistentOptions(), "HealthFunction", event)));

        assertEquals(200L, Json.parseObject(printed.strip()).get("statusCode"), printed);
    }

    @Test
    void rotateSecretRotatesTheRunningServicesKeyFileThroughTheRotationFunction() throws IOException {
        LocalOptions options = persistentOptions();
        Path keyFile = dataDir.resolve("jwt-keys.json");
        try (LocalService service = LocalService.start(options)) {
            Api api = new Api(service.apiUrl());
            Api.Response registered = api.post("/api/v1/auth/register",
                    Map.of("email", "rotated-" + UUID.randomUUID() + "@example.com", "password", PASSWORD, "name", "Rotated"));
            assertEquals(201, registered.status(), registered.text());
            String nextKeyBefore = (String) Json.parseObject(read(keyFile)).get("next_kid");

            String printed = captured(System.out, System::setOut, () -> assertEquals(0, Main.rotateSecret(options, Main.SIGNING_KEY_SECRET)));

            assertTrue(printed.startsWith("local: rotated SigningKeySecret"), printed);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> keys = (List<Map<String, Object>>) Json.parseObject(read(keyFile)).get("keys");
            assertEquals(nextKeyBefore, keys.getFirst().get("kid"), "the published next key signs now");
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(keyFile));
            assertEquals(200, api.get("/api/v1/users/me", "Authorization", bearer((String) registered.data().get("access_token"))).status(),
                    "a token from before the rotation still verifies");
            assertThrows(IllegalArgumentException.class, () -> service.rotateSecret("ServiceClientsSecret"),
                    "no rotation schedule rotates it");
        }
    }

    @Test
    void samLocalEnvironmentPointsContainersAtTheseServersAndStaysPrivate() throws IOException {
        try (LocalService service = LocalService.start(persistentOptions())) {
            Path file = dataDir.resolve("sam-env.json");
            Map<String, Object> byFunction = Json.parseObject(read(file));
            @SuppressWarnings("unchecked")
            Map<String, String> health = (Map<String, String>) byFunction.get("HealthFunction");
            @SuppressWarnings("unchecked")
            Map<String, String> login = (Map<String, String>) byFunction.get("LoginFunction");
            assertEquals("http://host.docker.internal:" + service.dynamoDbEndpoint().getPort(), health.get("DYNAMODB_ENDPOINT"));
            assertTrue(login.get("JWT_KEYS").contains("\"kty\":\"EC\""));
            assertFalse(login.containsKey("JWT_KEYS_FILE"));
            assertEquals("", health.getOrDefault("JWT_KEYS", ""), "a function that only verifies tokens gets no signing key");
            @SuppressWarnings("unchecked")
            Map<String, String> search = (Map<String, String>) byFunction.get("SearchUsersFunction");
            assertEquals(read(dataDir.resolve("cursor-secret")).strip(), search.get("CURSOR_SECRET"));
            assertEquals("", search.get("CURSOR_SECRET_ARN"), "sam local would pass the secret's logical id");
            assertEquals("", search.getOrDefault("JWT_KEYS", ""), "a listing seals its cursors without the signing keys");
            assertEquals("", login.getOrDefault("CURSOR_SECRET", ""));
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(dataDir.resolve("jwt-keys.json")));
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(dataDir.resolve("cursor-secret")));
        }
    }

    /**
     * endpoints.json names the development client's secret (and, with local/start, the admin's password), and the data
     * directory holds the table's files: neither is readable by the machine's other users, even one made readable before.
     */
    @Test
    void theEndpointsAndTheDataDirectoryAreTheOwnersOnly() throws IOException {
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (LocalService service = LocalService.start(persistentOptions())) {
            assertTrue(read(dataDir.resolve("endpoints.json")).contains("client_secret"));
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(dataDir.resolve("endpoints.json")));
            assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(dataDir));
        }
    }

    @Test
    void corsPreflightIsAnsweredFromTheTemplatesConfiguration() {
        try (LocalService service = LocalService.start(LocalOptions.inMemory())) {
            Api.Response preflight = new Api(service.apiUrl()).send("OPTIONS", "/api/v1/auth/login", null,
                    "Origin", "https://app.example.com", "Access-Control-Request-Method", "POST",
                    "Access-Control-Request-Headers", "content-type");
            assertEquals(204, preflight.status());
            assertEquals("*", preflight.header("Access-Control-Allow-Origin"));
            assertTrue(preflight.header("Access-Control-Allow-Headers").contains("idempotency-key"));

            Api.Response actual = new Api(service.apiUrl()).get("/health", "Origin", "https://app.example.com");
            assertEquals("*", actual.header("Access-Control-Allow-Origin"));
        }
    }

    private LocalOptions persistentOptions() {
        return LocalOptions.inMemory().withDataDir(dataDir).withEnvironment(TestEnvironment.FAST);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    private interface Action {
        void run() throws IOException;
    }

    /** What {@code action} printed on {@code original}, standard output or standard error, which {@code set} replaces. */
    private static String captured(PrintStream original, Consumer<PrintStream> set, Action action) throws IOException {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        set.accept(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            set.accept(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
