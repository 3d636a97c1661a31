package dev.userservice.bench;

import dev.userservice.json.Json;
import dev.userservice.local.LocalOptions;
import dev.userservice.local.LocalService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The warm path per function on the real topology, at each table size: users cloned into the table by
 * BatchWriteItem ({@link Scale}), then each {@link Variant} measured by JMH ({@link WarmPathBenchmark}) in a JVM of
 * its own with the function's memory flags, its handler invoked in process (no API Gateway, no runner HTTP) while
 * DynamoDB Local and Redis answer over the network. On a {@link SeededService}, so the table holds exactly the users
 * of each size whatever the scale part seeded.
 */
final class WarmPath {
    /** The fork's users to draw from: enough to spread the reads over the table, few enough for the function's heap. */
    private static final int USERS_PER_FORK = 50_000;
    /**
     * A thousand times the data: DynamoDB Local holds the table in native memory, about 3.5 KB per item, so a
     * million users of 4 items (no sessions, {@link Scale}) took 14 GB of the 24 GiB machine this was measured on,
     * and 25 minutes to seed; docs/benchmark.md says what a smaller machine asks for instead.
     */
    static final List<Integer> DEFAULT_SIZES = List.of(1_000, 1_000_000);
    /** CI's: the harness runs end to end on a table that seeds in a moment. */
    static final List<Integer> SMOKE_SIZES = List.of(100);

    /**
     * One measured request. {@code anyUser}: a user drawn at random per invocation, named in the path and read with
     * a service token (a "me" route is rewritten to its {@code /users/{id}} form); otherwise the signed-in shared
     * user. {@code evictViews}: the user's cached views deleted before each invocation. {@code changesEveryTime}: a
     * write whose body gets a custom field of a new value per invocation, so every request stores a change: the same
     * body twice on a user is the second time a read that stores nothing, and how often a user is drawn twice depends
     * on the table's size.
     */
    record Variant(String function, String label, String sample, boolean anyUser, boolean evictViews, boolean changesEveryTime) {
        Variant(String function, String label, String sample, boolean anyUser, boolean evictViews) {
            this(function, label, sample, anyUser, evictViews, false);
        }
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("GetCurrentUserFunction", "cached (signed-in user, cache warm)", "get-current-user.json", false, false),
            new Variant("GetCurrentUserFunction", "uncached (the user's views evicted before each)", "get-current-user.json", false, true),
            new Variant("GetPreferencesFunction", "cached (signed-in user, cache warm)", "get-preferences.json", false, false),
            new Variant("GetPreferencesFunction", "random user, uncached", "get-preferences.json", true, true),
            new Variant("GetNotificationProfileFunction", "same user, cached", "get-notification-profile.json", false, false),
            new Variant("GetNotificationProfileFunction", "random user, uncached", "get-notification-profile.json", true, true),
            new Variant("GetUserFunction", "random user, uncached", "get-user.json", true, true),
            new Variant("ListDevicesFunction", "same user, cached", "list-devices.json", false, false),
            new Variant("ListDevicesFunction", "random user, uncached", "list-devices.json", true, true),
            new Variant("UpdatePreferencesFunction", "random user (a write that changes something every time; forgets the user's views)",
                    "update-preferences.json", true, false, true));

    record Row(Variant variant, double p50Us, double p99Us, double p999Us, long samples, String failure) {}

    /** {@code seededItems} in {@code seedSeconds}: what this size added to the one before it. */
    record Size(int users, double seedSeconds, long seededItems, int itemsPerUser, List<Row> rows) {}

    private WarmPath() {}

    static List<Size> measure(Bench.Settings settings, LocalOptions options) throws Exception {
        Functions functions = Functions.load(settings.root());
        Path work = Files.createTempDirectory("bench-warm-path");
        List<Size> sizes = new ArrayList<>();
        System.out.println("bench: warm path per function: starting DynamoDB Local, ElasticMQ and Redis of its own");
        try (SeededService seeded = SeededService.start(settings, options)) {
            LocalService service = seeded.service();
            Fixtures fixtures = seeded.fixtures();
            Scale scale = seeded.scale();
            for (int users : settings.warmSizes()) {
                System.out.printf(Locale.ROOT, "bench: warm path: seeding up to %,d users (%d items each)%n", users, scale.itemsPerUser());
                int before = scale.userCount();
                double seconds = scale.seedUpTo(users);
                long items = (long) (scale.userCount() - before) * scale.itemsPerUser();
                System.out.printf(Locale.ROOT, "bench:   seeded %,d items in %.1f s (%,.0f items/s)%n", items, seconds, items / seconds);
                List<String> drawn = scale.sampleOfUsers(USERS_PER_FORK);
                // The seed leaves hundreds of megabytes of garbage in the JVM DynamoDB Local answers from: collected
                // now, not while the first variant is measured.
                System.gc();
                List<Row> rows = new ArrayList<>();
                for (Variant variant : VARIANTS.stream().filter(v -> settings.measures(v.function())).toList()) {
                    // Tokens live 15 minutes and a size's variants take a few: fresh ones for each.
                    fixtures.renewTokens();
                    Path plan = work.resolve("plan.json");
                    Files.write(plan, Json.writeBytes(plan(variant, functions, service, fixtures, drawn, settings.root())));
                    rows.add(run(settings, variant, functions, plan));
                }
                sizes.add(new Size(users, seconds, items, scale.itemsPerUser(), rows));
            }
        }
        // The plan holds live tokens.
        Files.deleteIfExists(work.resolve("plan.json"));
        Files.deleteIfExists(work);
        return sizes;
    }

    private static Map<String, Object> plan(Variant variant, Functions functions, LocalService service, Fixtures fixtures,
                                            List<String> drawn, Path root) {
        String sample = Fixtures.read(root.resolve("events").resolve(variant.sample()));
        Map<String, Object> event = Json.parseObject(sample);
        String token = variant.anyUser() || sample.contains("<SERVICE_TOKEN>") ? fixtures.serviceToken() : fixtures.userAccessToken();
        headers(event).put("authorization", "Bearer " + token);
        if (variant.changesEveryTime()) {
            Map<String, Object> body = Json.parseObject((String) event.get("body"));
            body.put("custom", Map.of("bench_request", WarmPathBenchmark.UNIQUE));
            event.put("body", Json.write(body));
        }
        String text = Json.write(variant.anyUser() ? forAnyUser(event) : event)
                .replace("<USER_ID>", variant.anyUser() ? WarmPathBenchmark.ANY_USER : fixtures.userId());
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("handler", function(functions, variant).handlerClass());
        plan.put("environment", service.functionEnvironment(variant.function()));
        plan.put("event", text);
        plan.put("users", variant.anyUser() ? drawn : List.of(fixtures.userId()));
        plan.put("evict_views", variant.evictViews());
        return plan;
    }

    /** A "me" route's sample in its {@code /users/{id}} form, the user left to {@link WarmPathBenchmark#ANY_USER}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> forAnyUser(Map<String, Object> event) {
        String me = " /api/v1/users/me";
        String routeKey = (String) event.get("routeKey");
        if (routeKey.contains(me)) {
            String byId = routeKey.replace(me, " /api/v1/users/{id}");
            String path = ((String) event.get("rawPath")).replace("/api/v1/users/me", "/api/v1/users/" + WarmPathBenchmark.ANY_USER);
            Map<String, Object> context = (Map<String, Object>) event.get("requestContext");
            event.put("routeKey", byId);
            context.put("routeKey", byId);
            event.put("rawPath", path);
            ((Map<String, Object>) context.get("http")).put("path", path);
            event.put("pathParameters", Map.of("id", WarmPathBenchmark.ANY_USER));
        }
        return event;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> headers(Map<String, Object> event) {
        return (Map<String, Object>) event.get("headers");
    }

    private static Functions.Function function(Functions functions, Variant variant) {
        return functions.all().stream().filter(f -> f.name().equals(variant.function())).findFirst()
                .orElseThrow(() -> new IllegalStateException("bench: no " + variant.function() + " in template.yaml"));
    }

    private static Row run(Bench.Settings settings, Variant variant, Functions functions, Path plan) {
        System.out.printf(Locale.ROOT, "bench:   %s, %s%n", variant.function(), variant.label());
        List<String> jvm = new ArrayList<>(ColdStart.memoryFlags(function(functions, variant).memoryMb()));
        jvm.addAll(ColdStart.SNAPSTART_FLAGS);
        jvm.add("-D" + WarmPathBenchmark.PLAN_PROPERTY + "=" + plan);
        jvm.addAll(settings.jvmFlags());
        OptionsBuilder options = new OptionsBuilder();
        options.include(WarmPathBenchmark.class.getName() + ".").forks(1).shouldFailOnError(true).jvmArgs(jvm.toArray(String[]::new));
        try {
            RunResult result = new Runner(Bench.iterations(options, settings).build()).runSingle();
            var statistics = result.getPrimaryResult().getStatistics();
            return new Row(variant, statistics.getPercentile(50), statistics.getPercentile(99), statistics.getPercentile(99.9),
                    statistics.getN(), null);
        } catch (RunnerException e) {
            System.out.println("bench:   FAILED: " + e.getMessage());
            return new Row(variant, Double.NaN, Double.NaN, Double.NaN, 0, String.valueOf(e.getMessage()));
        }
    }

    /** For {@code --warm-sizes}: the users in the table at each measured size, smallest first. */
    static List<Integer> sizes(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).sorted().toList();
    }
}
