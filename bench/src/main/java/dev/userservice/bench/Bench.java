package dev.userservice.bench;

import dev.userservice.local.LocalOptions;
import dev.userservice.local.LocalService;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmark of issue 6, run by {@code bench/run}: cold start of every function of template.yaml, each run paired
 * with the reference's ({@link Reference}), with TLS to DynamoDB and Redis as in AWS ({@link AwsTls}); the kernel's
 * warm cost (JMH), package sizes, latency at 1,000 and 100,000 users, a bounded load on a cached read, and the warm
 * path of each read and a write on the real topology at each {@code --warm-sizes} size ({@link WarmPath}). A whole
 * run writes docs/performance.md, a partial one bench/target/performance-partial.md ({@code --out} names another).
 *
 * <pre>
 * bench/run                      # everything, 10 cold starts per function
 * bench/run --runs 20            # more cold starts
 * bench/run --only Health,GetCurrentUser --runs 3 --skip scale,throughput
 * bench/run --smoke              # CI: every function once from its own jar; checks they start, never the numbers
 * bench/run --no-tls             # DynamoDB and Redis without TLS (the default is TLS to both, as in AWS)
 * bench/run --skip reference     # no reference beside each function's cold start and restore
 * bench/run --skip cold,scale,throughput --warm-sizes 1000   # the warm path per function at 1,000 users only
 * </pre>
 */
public final class Bench {
    private Bench() {}

    record Settings(Path root, int runs, List<String> only, boolean smoke, boolean cold, boolean warm, boolean scale,
                    boolean throughput, boolean warmPath, List<Integer> scaleSizes, List<Integer> warmSizes, int scaleRequests, int throughputSeconds, Path out,
                    Path classLog, List<String> jvmFlags, boolean restore, boolean reference, boolean tls, Path redisServer,
                    boolean lambdaCpu, ColdStart.AotCache aotCache, String command) {
        /** Whether {@code --only} leaves the function in: named with or without its {@code Function} suffix. */
        boolean measures(String function) {
            return only.isEmpty() || only.stream().anyMatch(name -> function.equals(name) || function.equals(name + "Function"));
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = parse(args);
        Report report = new Report(settings);
        Path root = settings.root();
        report.sizes(packageSizes(root));

        // First: a million users' table takes most of the machine's memory, and a machine without it fails in minutes.
        if (settings.warmPath()) {
            report.warmPath(WarmPath.measure(settings, localOptions(settings)));
        }
        if (settings.cold() || settings.throughput()) {
            System.out.println("bench: starting DynamoDB Local, ElasticMQ and Redis (once, outside the measured JVMs)");
            try (LocalService service = LocalService.start(localOptions(settings))) {
                report.redis(service.redisDescription());
                Fixtures fixtures = new Fixtures(service, root.resolve("events"));
                fixtures.setUp();
                if (settings.cold()) {
                    coldStarts(settings, service, fixtures, report);
                }
                if (settings.throughput()) {
                    fixtures.renewTokens();
                    report.throughput(throughput(settings, service, fixtures));
                }
            }
        }
        if (settings.scale()) {
            scale(settings, report);
        }
        if (settings.warm()) {
            report.warm(warmCost(settings));
        }
        report.write();
        System.out.println("bench: wrote " + settings.out());
        System.exit(report.harnessFailed() ? 1 : 0);
    }

    private static LocalOptions localOptions(Settings settings) {
        LocalOptions options = LocalOptions.inMemory().withTemplate(settings.root().resolve("template.yaml"))
                // Hundreds of sign-ins from one address in minutes: the limits would stop the benchmark, not an attack.
                .withEnvironment(Map.of("RATE_LIMITS", "register=1000000/1h,login_email=1000000/5m,login_ip=1000000/5m,"
                        + "password_reset=1000000/1h,password_reset_ip=1000000/1h,refresh=1000000/1m"));
        // As in AWS, where ElastiCache Serverless speaks TLS only: every first cache call pays a handshake.
        return settings.tls() ? options.withRedisTls(settings.redisServer()) : options;
    }

    private static void coldStarts(Settings settings, LocalService service, Fixtures fixtures, Report report) throws IOException {
        Path java = Path.of(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        Path launcher = settings.root().resolve("bench/target/bench-launcher.jar");
        Path work = Files.createTempDirectory("bench-events");
        Optional<AwsTls> tls = settings.tls()
                ? Optional.of(AwsTls.start(service.dynamoDbEndpoint(), work.resolve("tls"), service.redisAuthority()))
                : Optional.empty();
        Optional<LambdaCpu> cpu = settings.lambdaCpu() ? Optional.of(LambdaCpu.create()) : Optional.empty();
        // Started in the try: its server's threads would keep the JVM from exiting on a failure.
        try (SecretsStandIn secrets = SecretsStandIn.start(tls.map(AwsTls::serverContext))) {
            List<String> jvmFlags = new ArrayList<>(settings.jvmFlags());
            tls.ifPresent(front -> jvmFlags.addAll(front.jvmFlags()));
            ColdStart cold = new ColdStart(java, launcher, work, settings.classLog(), jvmFlags,
                    memoryMb -> cpu.map(model -> model.jvmFlags(memoryMb)).orElse(List.of()), service::awaitStreamsCaughtUp,
                    settings.aotCache());
            coldStarts(settings, service, fixtures, report, cold,
                    environment -> secrets.environment(tls.map(front -> front.environment(environment)).orElse(environment)));
        } finally {
            cpu.ifPresent(LambdaCpu::close);
            if (tls.isPresent()) {
                tls.get().close();
            }
        }
    }

    /** {@code measuredEnvironment}: what a measured JVM gets from a function's environment (its TLS endpoints, its secrets). */
    private static void coldStarts(Settings settings, LocalService service, Fixtures fixtures, Report report, ColdStart cold,
                                   UnaryOperator<Map<String, String>> measuredEnvironment) {
        Optional<Reference> reference = settings.reference()
                ? Optional.of(Reference.prepare(settings.root(), service.functionEnvironment("GetCurrentUserFunction"), measuredEnvironment))
                : Optional.empty();
        for (Functions.Function function : Functions.load(settings.root()).all()) {
            if (!settings.measures(function.name())) {
                continue;
            }
            fixtures.renewTokens();
            String note = "";
            String sample;
            if (function.hasSample()) {
                sample = Fixtures.read(function.sampleEvent());
                if (sample.contains("<RESET_TOKEN>") || sample.contains("<VERIFICATION_TOKEN>")) {
                    note = "sample's one-time token left as is (it arrives only by the user-events queue)";
                } else if (function.name().equals("RevokeSessionFunction")) {
                    note = "sample's fixed session id: not one of this user's sessions";
                }
            } else {
                sample = "{}";
                note = "no sample in events/ (" + function.sampleEvent().getFileName() + "): invoked with {}";
            }
            String event = sample;
            System.out.printf(Locale.ROOT, "bench: cold start %-36s x%d%n", function.name(), settings.runs());
            ColdStart.Result result = cold.measure(function, measuredEnvironment.apply(service.functionEnvironment(function.name())),
                    () -> fixtures.eventFor(function, event), settings.runs(), note, reference, settings.restore());
            if (result.failure() != null) {
                System.out.println("bench:   FAILED: " + result.failure());
            } else {
                System.out.printf(Locale.ROOT, "bench:   median wall %.0f ms (%s× the reference's), %d classes, status %s%n",
                        result.stat(ColdStart.Run::wallMs).median(), Stats.format(result.ratio(ColdStart.Run::wallMs).median(), 2),
                        result.runs().get(0).classes(), result.statuses());
            }
            report.cold(result);
        }
    }

    /** The routes through the runner's HTTP API at each table size, on a service of its own, as the warm path's. */
    private static void scale(Settings settings, Report report) throws Exception {
        System.out.println("bench: scale: starting DynamoDB Local, ElasticMQ and Redis of its own");
        try (SeededService seeded = SeededService.start(settings, localOptions(settings))) {
            Scale scale = seeded.scale();
            for (int size : settings.scaleSizes()) {
                System.out.printf(Locale.ROOT, "bench: seeding up to %,d users (%d items each)%n", size, scale.itemsPerUser());
                double seconds = scale.seedUpTo(size);
                System.out.printf(Locale.ROOT, "bench:   seeded in %.1f s; measuring%n", seconds);
                seeded.fixtures().renewTokens();
                report.scale(size, seconds, scale.itemsPerUser(),
                        scale.measure(settings.scaleRequests(), seeded.fixtures().userAccessToken(), seeded.fixtures().serviceToken()));
            }
        }
    }

    record Throughput(String tool, String target, int seconds, int connections, double requestsPerSecond, String p50,
                      String p99, long requests, long errors, String errorDetail) {}

    private static Throughput throughput(Settings settings, LocalService service, Fixtures fixtures) throws Exception {
        String token = fixtures.serviceToken();
        String path = "/api/v1/internal/users/" + fixtures.userId() + "/notification-profile?category=marketing";
        URI url = service.apiUrl().resolve(path);
        HttpClient http = HttpClient.newHttpClient();
        // Warm the path and its cache entry first.
        for (int i = 0; i < 200; i++) {
            http.send(HttpRequest.newBuilder(url).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding());
        }
        int connections = 8;
        int seconds = settings.throughputSeconds();
        String target = "GET " + path.replace(fixtures.userId(), "{id}") + " (service token; cached)";
        System.out.printf(Locale.ROOT, "bench: load on %s for %d s%n", target, seconds);
        if (onPath("wrk")) {
            Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency",
                    "-H", "Authorization: Bearer " + token, url.toString()).redirectErrorStream(true).start();
            String out = new String(wrk.getInputStream().readAllBytes());
            wrk.waitFor();
            System.out.println(out);
            double rps = Double.parseDouble(group(out, "Requests/sec:\\s+([0-9.]+)", "0"));
            long requests = Long.parseLong(group(out, "([0-9]+) requests in", "0"));
            long non2xx = Long.parseLong(group(out, "Non-2xx or 3xx responses:\\s+([0-9]+)", "0"));
            long socket = 0;
            Matcher errors = Pattern.compile("Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)").matcher(out);
            if (errors.find()) {
                for (int g = 1; g <= 4; g++) {
                    socket += Long.parseLong(errors.group(g));
                }
            }
            return new Throughput("wrk -t2 -c" + connections + " -d" + seconds + "s", target, seconds, connections, rps,
                    group(out, "\\s50%\\s+(\\S+)", "n/a"), group(out, "\\s99%\\s+(\\S+)", "n/a"), requests, non2xx + socket,
                    non2xx + " non-2xx, " + socket + " socket errors");
        }
        // No wrk: a bounded Java load loop with the same shape.
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                HttpClient client = HttpClient.newHttpClient();
                while (System.nanoTime() < end) {
                    long started = System.nanoTime();
                    try {
                        int status = client.send(HttpRequest.newBuilder(url).header("Authorization", "Bearer " + token).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    latencies.add((System.nanoTime() - started) / 1e6);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Stats stats = Stats.of(new ArrayList<>(latencies));
        return new Throughput("Java load loop (wrk not installed), " + connections + " connections", target, seconds, connections,
                latencies.size() / (double) seconds, Stats.format(stats.median(), 2) + "ms",
                Stats.format(stats.percentile(99), 2) + "ms", latencies.size(), errors.get(), errors.get() + " errors");
    }

    record Warm(String benchmark, double p50Us, double p99Us, double p999Us, long samples) {}

    private static List<Warm> warmCost(Settings settings) throws Exception {
        System.out.println("bench: warm cost (JMH, SampleTime)");
        OptionsBuilder builder = new OptionsBuilder();
        builder.include(KernelBenchmark.class.getName() + ".");
        builder.forks(1);
        builder.shouldFailOnError(true);
        Options options = iterations(builder, settings).jvmArgsAppend("-Xshare:auto").build();
        Collection<RunResult> results = new Runner(options).run();
        List<Warm> warm = new ArrayList<>();
        for (RunResult result : results) {
            var statistics = result.getPrimaryResult().getStatistics();
            String name = result.getParams().getBenchmark();
            warm.add(new Warm(name.substring(name.lastIndexOf('.') + 1), statistics.getPercentile(50),
                    statistics.getPercentile(99), statistics.getPercentile(99.9), statistics.getN()));
        }
        return warm;
    }

    /** Every JMH run's iterations: a token run for the smoke test, enough for a p99.9 otherwise. */
    static OptionsBuilder iterations(OptionsBuilder builder, Settings settings) {
        if (settings.smoke()) {
            builder.warmupIterations(1).warmupTime(TimeValue.milliseconds(300)).measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(300));
        } else {
            builder.warmupIterations(3).warmupTime(TimeValue.seconds(2)).measurementIterations(5).measurementTime(TimeValue.seconds(2));
        }
        return builder;
    }

    private static Map<String, Long> packageSizes(Path root) throws IOException {
        Map<String, Long> sizes = new LinkedHashMap<>();
        try (var dirs = Files.list(root.resolve("functions"))) {
            for (Path dir : dirs.sorted().toList()) {
                Path jar = dir.resolve("target/function.jar");
                sizes.put("functions/" + dir.getFileName() + "/target/function.jar", Files.isRegularFile(jar) ? Files.size(jar) : -1L);
            }
        }
        return sizes;
    }

    private static String group(String text, String regex, String otherwise) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        return matcher.find() ? matcher.group(1) : otherwise;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static Settings parse(String[] args) {
        Path root = LocalOptionsRoot.find();
        int runs = 10;
        List<String> only = List.of();
        boolean smoke = false;
        List<String> skip = new ArrayList<>();
        List<Integer> sizes = List.of(1_000, 100_000);
        List<Integer> warmSizes = null;
        int requests = 200;
        int seconds = 20;
        Path out = null;
        Path classLog = null;
        List<String> jvmFlags = new ArrayList<>();
        boolean tls = true;
        Path redisServer = null;
        boolean lambdaCpu = false;
        ColdStart.AotCache aotCache = ColdStart.AotCache.NONE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--only" -> only = List.of(args[++i].split(","));
                case "--skip" -> skip.addAll(List.of(args[++i].split(",")));
                case "--smoke" -> smoke = true;
                case "--scale-sizes" -> sizes = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--warm-sizes" -> warmSizes = WarmPath.sizes(args[++i]);
                case "--scale-requests" -> requests = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]).toAbsolutePath();
                case "--class-log" -> classLog = Path.of(args[++i]).toAbsolutePath();
                case "--jvm-flag" -> jvmFlags.add(args[++i]);
                case "--no-tls" -> tls = false;
                case "--redis-server" -> redisServer = Path.of(args[++i]).toAbsolutePath();
                case "--lambda-cpu" -> lambdaCpu = true;
                case "--aot-cache" -> aotCache = ColdStart.AotCache.parse(args[++i]);
                default -> throw new IllegalArgumentException("bench: unknown option " + args[i]
                        + " (--runs N, --only F1,F2, --skip cold,reference,restore,warm,warm-path,scale,throughput, --smoke,"
                        + " --scale-sizes A,B, --warm-sizes A,B,"
                        + " --scale-requests N, --seconds N, --out FILE, --class-log DIR, --jvm-flag FLAG,"
                        + " --no-tls, --redis-server FILE, --lambda-cpu, --aot-cache functions|all)");
            }
        }
        if (smoke) {
            // Every function once, from its own jar: the jars differ in what they carry, so each must be started.
            runs = 1;
            skip.addAll(List.of("scale", "throughput"));
            warmSizes = warmSizes == null ? WarmPath.SMOKE_SIZES : warmSizes;
            if (out == null) {
                out = root.resolve("bench/target/performance-smoke.md");
            }
        }
        warmSizes = warmSizes == null ? WarmPath.DEFAULT_SIZES : warmSizes;
        if (out == null) {
            // Only a whole run with the documented flags replaces the published figures; a part of one, or one with
            // other JVM flags, is a measurement for its author.
            boolean whole = only.isEmpty() && skip.isEmpty() && classLog == null && jvmFlags.isEmpty() && !lambdaCpu
                    && aotCache == ColdStart.AotCache.NONE;
            out = root.resolve(whole ? "docs/performance.md" : "bench/target/performance-partial.md");
        }
        String command = System.getProperty("bench.command", "bench/run " + String.join(" ", args)).trim();
        return new Settings(root, runs, only, smoke, !skip.contains("cold"), !skip.contains("warm"), !skip.contains("scale"),
                !skip.contains("throughput"), !skip.contains("warm-path"), sizes, warmSizes, requests, seconds, out, classLog, jvmFlags, !skip.contains("restore"), !skip.contains("reference"),
                tls, redisServer, lambdaCpu, aotCache, command);
    }

    /** The checkout: the folder of the nearest template.yaml. */
    static final class LocalOptionsRoot {
        static Path find() {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("template.yaml"))) {
                    return dir;
                }
            }
            throw new IllegalStateException("bench: run it inside the checkout (no template.yaml found)");
        }
    }

    static String machine() {
        int cores = Runtime.getRuntime().availableProcessors();
        String memory = "?";
        String cpu = "?";
        String load = "?";
        try {
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                    .findFirst().orElse("?");
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            // not Linux
        }
        return cores + " cores (" + cpu + "), " + memory + " memory, JDK " + System.getProperty("java.vm.version")
                + " (" + System.getProperty("java.vm.vendor") + "), " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + "; load average at start: " + load + "; " + memoryMonitor()
                + "; bench JVM: " + ManagementFactory.getRuntimeMXBean().getInputArguments();
    }

    /**
     * Whether the kernel's DAMON runs: its monitor's CPU grows with the memory in use, and at a million users it made
     * most of the warm path's tails (docs/performance.md, entry 21), so a reader of the figures needs to know.
     */
    static String memoryMonitor() {
        try (var monitors = Files.list(Path.of("/sys/kernel/mm/damon/admin/kdamonds"))) {
            int running = 0;
            for (Path state : monitors.map(monitor -> monitor.resolve("state")).filter(Files::isRegularFile).toList()) {
                running += Files.readString(state).trim().equals("on") ? 1 : 0;
            }
            return "kernel memory monitor (DAMON): " + (running == 0 ? "off" : running + " kdamond on");
        } catch (IOException e) {
            return "kernel memory monitor (DAMON): none";
        }
    }

    static String now() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    }
}
