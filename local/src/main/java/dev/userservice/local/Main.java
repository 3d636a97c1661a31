package dev.userservice.local;

import dev.userservice.logging.Log;
import java.io.IOException;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar local/target/local-api.jar [--in-memory] [--port N] [--host ADDRESS] [--data-dir DIR]} starts the
 * whole service; {@code ... invoke FUNCTION EVENT_FILE} runs one function with one event, like
 * {@code sam local invoke}, on the running service's servers when one is up.
 */
public final class Main {
    private static final String USAGE = """
            usage: local-api [--in-memory] [--schedules] [--port N] [--host ADDRESS] [--data-dir DIR] [--template FILE]
                             [--redis-tls] [--redis-server FILE]
                   local-api [--data-dir DIR] [--template FILE] invoke FUNCTION EVENT_FILE
                   local-api [--data-dir DIR] [--template FILE] rotate-secret [SECRET]

              rotate-secret   rotate a secret as Secrets Manager would, through its rotation function (default
                              SigningKeySecret: the signing keys; running functions see them within a refresh)
              --in-memory     keep nothing: data, keys and queues vanish when the service stops
              --schedules     run the template's Schedule events: once at start, then on their rate(...)
              --port N        the API's port (default 3000, or the PORT variable); a busy port is replaced by a free one
              --host ADDRESS  the address the API, DynamoDB Local, SQS and Redis listen on (default 127.0.0.1;
                              0.0.0.0 lets sam local's containers reach them)
              --data-dir DIR  where data, the signing keys and endpoints.json live (default .local beside template.yaml)
              --template FILE the SAM template (default template.yaml in this folder or the nearest one above)
              --redis-tls     Redis with TLS only, as ElastiCache Serverless: the functions get rediss:// and trust a
                              CA made at start (REDIS_CA_CERT); needs a redis-server built with TLS: redis-server on
                              the PATH (apt-get install redis-server), else the embedded one where it can
              --redis-server FILE  the redis-server to run with TLS (implies --redis-tls)
            """;

    /** The template's secret of the signing keys, which {@code rotate-secret} rotates unless told otherwise. */
    static final String SIGNING_KEY_SECRET = "SigningKeySecret";

    private Main() {}

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>();
        LocalOptions options;
        try {
            options = parse(args, rest);
        } catch (IllegalArgumentException e) {
            System.err.println("local: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (!rest.isEmpty() && rest.getFirst().equals("invoke")) {
            if (rest.size() != 3) {
                System.err.print(USAGE);
                System.exit(2);
            }
            System.exit(invoke(options, rest.get(1), Path.of(rest.get(2))));
        }
        if (!rest.isEmpty() && rest.getFirst().equals("rotate-secret")) {
            if (rest.size() > 2) {
                System.err.print(USAGE);
                System.exit(2);
            }
            System.exit(rotateSecret(options, rest.size() == 2 ? rest.get(1) : SIGNING_KEY_SECRET));
        }
        if (!rest.isEmpty()) {
            System.err.println("local: unknown argument " + rest.getFirst());
            System.err.print(USAGE);
            System.exit(2);
        }
        serve(options);
    }

    static LocalOptions parse(String[] args, List<String> rest) {
        LocalOptions options = LocalOptions.defaults();
        String port = System.getenv("PORT");
        if (port != null && !port.isBlank()) {
            options = options.withPort(portNumber(port));
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--in-memory" -> options = options.withDataDir(null);
                case "--schedules" -> options = options.withSchedules(true);
                case "--port" -> options = options.withPort(portNumber(value(args, ++i, arg)));
                case "--host" -> options = options.withHost(value(args, ++i, arg));
                case "--data-dir" -> options = options.withDataDir(Path.of(value(args, ++i, arg)).toAbsolutePath());
                case "--template" -> options = options.withTemplate(Path.of(value(args, ++i, arg)).toAbsolutePath());
                case "--redis-tls" -> options = options.withRedisTls(options.redisServer());
                case "--redis-server" -> options = options.withRedisTls(Path.of(value(args, ++i, arg)).toAbsolutePath());
                case "-h", "--help" -> {
                    System.out.print(USAGE);
                    System.exit(0);
                }
                default -> rest.add(arg);
            }
        }
        if (!Files.isRegularFile(options.template())) {
            throw new IllegalArgumentException("no template at " + options.template() + "; run from the project folder or pass --template");
        }
        return options;
    }

    private static void serve(LocalOptions options) throws InterruptedException {
        long started = System.nanoTime();
        LocalService service;
        try {
            service = LocalService.start(options);
        } catch (DataDirectoryLock.InUse e) {
            System.err.println("local: " + e.getMessage());
            System.exit(1);
            return;
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof RedisTlsUnavailable unavailable) {
                // What to install says it all; a stack trace would bury it.
                System.err.println("local: " + unavailable.getMessage());
                System.exit(1);
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("local: stopping");
            service.close();
            stopped.countDown();
        }, "local-shutdown"));
        int asked = options.apiPort();
        System.out.printf("""
                user-service is running (started in %.1f s)
                  API             %s%s
                  API docs        %s/docs
                  admin console   %s/admin
                  DynamoDB        %s
                  SQS             %s
                  Redis           %s (%s)%s
                  data            %s
                  endpoints       %s
                  service client  %s / %s
                """, (System.nanoTime() - started) / 1e9, service.apiUrl(),
                asked > 0 && asked != service.apiUrl().getPort() ? "   (port " + asked + " was busy)" : "",
                service.apiUrl(), service.apiUrl(),
                service.dynamoDbEndpoint(), service.sqsEndpoint(), service.redisUrl(), service.redisDescription(),
                service.redisAuthority().map(ca -> "\n  Redis CA        " + ca).orElse(""),
                options.inMemoryData() ? "in memory (gone when it stops)" : options.dataDir(),
                service.runtimeDirectory().resolve(Endpoints.FILE),
                service.serviceClient().get("client_id"), service.serviceClient().get("client_secret"));
        // Made through the running API, so after the lines above: the service is up whatever this takes.
        Map<String, Object> admin = service.developmentAdmin();
        System.out.printf("""
                  admin account   %s / %s
                Ctrl-C stops it.
                """, admin.get("email"), admin.get("password"));
        stopped.await();
    }

    /**
     * Prints the function's answer on standard output and its logs on standard error, as sam local invoke does.
     * A running service's servers are used when its endpoints.json is there and its API answers.
     */
    static int invoke(LocalOptions options, String function, Path eventFile) throws IOException {
        byte[] event = Files.readAllBytes(eventFile);
        PrintStream answers = keepStandardOutputForTheAnswer();
        Optional<Endpoints> running = runningService(options);
        byte[] answer;
        if (running.isPresent()) {
            answer = LocalService.invokeOnRunningService(options, running.get(), function, event);
        } else {
            try (LocalService service = LocalService.start(options.withPort(0).withServicePorts(0, 0, 0))) {
                answer = service.invoke(function, event);
            }
        }
        answers.println(new String(answer, StandardCharsets.UTF_8));
        return 0;
    }

    /**
     * Sends everything but the command's answer to standard error (the function's logs, and what DynamoDB Local and
     * the other servers print when no service is running), so that standard output holds the answer alone; answers
     * the stream the answer goes to.
     */
    private static PrintStream keepStandardOutputForTheAnswer() {
        PrintStream answers = System.out;
        Log.redirect(System.err);
        System.setOut(System.err);
        return answers;
    }

    /** Rotates a secret on the running service's files, or on those of the data directory when none is running. */
    static int rotateSecret(LocalOptions options, String secret) {
        PrintStream answers = keepStandardOutputForTheAnswer();
        Optional<Endpoints> running = runningService(options);
        String version;
        if (running.isPresent()) {
            version = LocalService.rotateSecretOfRunningService(options, running.get(), secret);
        } else {
            try (LocalService service = LocalService.start(options.withPort(0).withServicePorts(0, 0, 0))) {
                version = service.rotateSecret(secret);
            }
        }
        answers.println("local: rotated " + secret + " to version " + version);
        return 0;
    }

    /** The servers of the service running on this data directory: its endpoints.json is there and its API answers. */
    private static Optional<Endpoints> runningService(LocalOptions options) {
        Path endpointsFile = options.dataDirectory().orElse(Path.of(".local")).resolve(Endpoints.FILE);
        return Endpoints.read(endpointsFile).filter(endpoints -> answers(endpoints.api()));
    }

    private static boolean answers(URI api) {
        try {
            HttpURLConnection connection = (HttpURLConnection) api.resolve("/health").toURL().openConnection();
            connection.setConnectTimeout((int) Duration.ofSeconds(1).toMillis());
            connection.setReadTimeout((int) Duration.ofSeconds(5).toMillis());
            connection.getResponseCode();
            connection.disconnect();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int portNumber(String text) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: " + text);
        }
    }
}
