package dev.userservice.bench;

import static dev.userservice.bench.Stats.format;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** docs/performance.md: the machine, the date, the command, the tables, the targets and what stands out. */
final class Report {
    static final double TARGET_WALL_S = 0.55;
    static final int TARGET_CLASSES = 3_000;
    static final double TARGET_RSS_MIB = 110;
    static final double TARGET_JAR_MB = 10;
    static final double TARGET_WARM_P99_US = 1_000;
    static final String OPTIMISATIONS_HEADING = "## Optimisations";

    private final Bench.Settings settings;
    private final String machine = Bench.machine();
    private final String started = Bench.now();
    private final long startedNanos = System.nanoTime();
    private final List<ColdStart.Result> cold = new ArrayList<>();
    private final List<String> scaleNotes = new ArrayList<>();
    private final Map<String, Map<Integer, Scale.Row>> scaleRows = new LinkedHashMap<>();
    private final List<Integer> sizes = new ArrayList<>();
    private Map<String, Long> jars = Map.of();
    private List<Bench.Warm> warm = List.of();
    private List<WarmPath.Size> warmPath = List.of();
    private Bench.Throughput throughput;
    private String redis = "not started (no part of this run needed it)";

    Report(Bench.Settings settings) {
        this.settings = settings;
    }

    void sizes(Map<String, Long> sizes) {
        this.jars = sizes;
    }

    void redis(String description) {
        this.redis = description;
    }

    void cold(ColdStart.Result result) {
        cold.add(result);
    }

    void warm(List<Bench.Warm> results) {
        this.warm = results;
    }

    void warmPath(List<WarmPath.Size> sizes) {
        this.warmPath = sizes;
    }

    void throughput(Bench.Throughput result) {
        this.throughput = result;
    }

    void scale(int users, double seedSeconds, int itemsPerUser, List<Scale.Row> rows) {
        sizes.add(users);
        scaleNotes.add(String.format(Locale.ROOT, "%,d users: seeded in %.1f s (%d items per user, BatchWriteItem)", users, seedSeconds, itemsPerUser));
        for (Scale.Row row : rows) {
            scaleRows.computeIfAbsent(row.route(), k -> new LinkedHashMap<>()).put(users, row);
        }
    }

    /**
     * The harness broke (a function's or the reference's JVM gave no result, or the load saw errors): CI fails; numbers
     * never fail it.
     */
    boolean harnessFailed() {
        return cold.stream().anyMatch(result -> result.failure() != null || result.runs().isEmpty()
                        || java.util.stream.Stream.of(result.runs(), result.reference(), result.restored(), result.restoredReference())
                                .flatMap(List::stream).anyMatch(run -> broken(run.status())))
                || (settings.warm() && warm.isEmpty())
                || (settings.warmPath() && (warmPath.isEmpty()
                        || warmPath.stream().flatMap(size -> size.rows().stream()).anyMatch(row -> row.failure() != null)));
    }

    /**
     * A function that answered 500 or died of a linkage error: its jar lacks a class it needs (each jar carries
     * only the optional dependencies its module declares), or it is broken; either way not a number to report.
     */
    private static boolean broken(String status) {
        return status.startsWith("5") || (status.startsWith("threw:") && status.endsWith("Error"));
    }

    void write() throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Performance\n\n");
        md.append("Written by `").append(settings.command()).append("` (see the README's Performance section). ");
        md.append("Rerun it on a quiet machine before quoting these numbers.\n\n");
        md.append("- Date: ").append(started).append(String.format(Locale.ROOT, " (took %.0f s)%n", (System.nanoTime() - startedNanos) / 1e9));
        md.append("- Machine: ").append(machine).append('\n');
        md.append("- Command: `").append(settings.command()).append("`\n");
        md.append("- Redis: ").append(redis).append(settings.tls() ? " (as ElastiCache Serverless); DynamoDB Local behind a TLS front"
                + " (`--no-tls` turns both off)" : "; DynamoDB Local over plain HTTP").append('\n');
        md.append("- CPU of a measured JVM: ").append(settings.lambdaCpu() ? LambdaCpu.describe()
                : "this machine's cores in every phase (`--lambda-cpu` gives it Lambda's: a full vCPU for init, the memory's share for the invocation)").append('\n');
        if (settings.smoke()) {
            md.append("- **Smoke run** (CI): one cold start of every function and a tiny JMH run; it checks that each function starts from its own jar, not the numbers.\n");
        }
        md.append('\n');

        List<ColdStart.Run> reference = cold.stream().flatMap(result -> result.reference().stream()).toList();
        md.append("## Targets\n\n| | target (a function reading DynamoDB and Redis) | the reference, measured in this run |\n|---|---|---|\n");
        md.append("| cold start, median wall | ≤ 0.55 s | ").append(referenceMedian(reference, run -> run.wallMs() / 1000, 2, " s")).append(" |\n");
        md.append("| cold start, wall ÷ the reference's (median of pairs) | ≤ 0.5 reads, ≤ 0.6 writes | 1 |\n");
        md.append("| cold start, CPU | | ").append(referenceMedian(reference, run -> run.cpuMs() / 1000, 2, " s")).append(" |\n");
        md.append("| classes loaded | ≤ 3,000 | ").append(referenceMedian(reference, run -> (double) run.classes(), 0, "")).append(" |\n");
        md.append("| peak RSS | ≤ 110 MiB | ").append(referenceMedian(reference, ColdStart.Run::rssMib, 0, " MiB")).append(" |\n");
        md.append("| jar | ≤ 10 MB | ").append(referenceJar()).append(" |\n");
        md.append("| warm, handler's own work p99 | < 1 ms | |\n\n");

        List<String> standsOut = new ArrayList<>();
        if (!cold.isEmpty()) {
            md.append("## Cold start\n\n");
            md.append(String.format(Locale.ROOT, "%d run(s) per function. Each run is a fresh JVM: `java %s <memory flags> -cp <function.jar>:bench-launcher.jar "
                    + "Launcher <handler> <event>` with the function's environment from the local runner; DynamoDB Local, ElasticMQ and "
                    + "Redis run once in the benchmark's own process, and each JVM starts once the runner's stream consumers have caught "
                    + "up with the writes of the runs before it (in AWS they run elsewhere). The memory flags give the JVM what it has inside Lambda for the "
                    + "function's `MemorySize` (column *MB*): `%s` for 1024 MB (the microVM's memory; heap 85%%, metaspace 10%%, "
                    + "code cache 5%% of it). *Wall* is process start to exit as the parent sees it; *init* is "
                    + "loading and constructing the handler (no-argument constructor, as Lambda's init), *invoke* the first "
                    + "`handleRequest`, both inside the JVM; CPU is the child's user+system time just before exit; RSS is VmHWM; "
                    + "classes is the JVM's total loaded count at the end (it includes about 50 classes of the JDK's management "
                    + "API the launcher uses to count them). Times in ms; `min / median / max`.%n%n",
                    settings.runs(), String.join(" ", ColdStart.LAMBDA_FLAGS), String.join(" ", ColdStart.memoryFlags(1024))));
            if (!reference.isEmpty()) {
                md.append("**Reference, in the same run**: every run is a pair, the function's cold start and the reference's "
                        + "(`bench/reference`: a plain AWS SDK v2 handler with no framework, one DynamoDB `GetItem` behind an API "
                        + "Gateway HTTP event, as the AWS serverless-java-frameworks samples' GetProductById; its fat jar, "
                        + "with Jackson doing the event's (de)serialisation as Lambda's Java runtime does for such a handler), "
                        + "with the same JVM flags and the function's memory flags, the reference first in every other pair. *×ref* "
                        + "is the median over the pairs of the function's wall (or CPU) time divided by the reference's in the "
                        + "same pair; the reference's own row pools all its runs.\n\n");
            }
            if (settings.tls()) {
                md.append("TLS as in AWS: Redis speaks TLS only, and DynamoDB Local is reached through a TLS front in the "
                        + "benchmark's process, each with a certificate from a CA made at start. Every measured JVM, the "
                        + "reference's too, trusts through the JVM's default, a copy of the JDK's trust store (its 144 "
                        + "authorities) with those CAs added, as a function in AWS trusts DynamoDB's and ElastiCache's "
                        + "public certificates: a function's first cache call and first DynamoDB call each pay a TLS "
                        + "handshake, and the first of them the loading of the trust store.\n\n");
            }
            md.append("Secrets as in AWS: a measured JVM reads its signing keys (and the service clients, where it checks "
                    + "them) through the SDK's Secrets Manager client from a stand-in for Secrets Manager's `GetSecretValue` "
                    + "in the benchmark's process" + (settings.tls() ? ", over TLS" : "") + ", where the local runner "
                    + "gives a function a key file: its first token check builds that client and makes one call, and so "
                    + "does the first after a restore. The stand-in answers at once, so Secrets Manager's own latency is "
                    + "not in the figures.\n\n");
            md.append("| function | MB | wall | ×ref | init | invoke | CPU | ×ref CPU | peak RSS MiB | classes | status | jar |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            if (!reference.isEmpty()) {
                Stats rss = ColdStart.stat(reference, ColdStart.Run::rssMib);
                md.append("| ").append(Reference.NAME).append(" | as paired | ").append(triple(ColdStart.stat(reference, ColdStart.Run::wallMs)))
                        .append(" | 1 | ").append(triple(ColdStart.stat(reference, ColdStart.Run::initMs)))
                        .append(" | ").append(triple(ColdStart.stat(reference, ColdStart.Run::invokeMs)))
                        .append(" | ").append(triple(ColdStart.stat(reference, ColdStart.Run::cpuMs)))
                        .append(" | 1 | ").append(format(rss.median(), 0)).append(" (max ").append(format(rss.max(), 0)).append(")")
                        .append(" | ").append(format(ColdStart.stat(reference, run -> (double) run.classes()).median(), 0))
                        .append(" | ").append(ColdStart.statuses(reference)).append(" | ").append(referenceJar()).append(" |\n");
            }
            for (ColdStart.Result result : cold) {
                String name = result.function().name();
                if (result.runs().isEmpty()) {
                    md.append("| ").append(name).append(" | ").append(result.function().memoryMb()).append(" | failed: ").append(escape(result.failure())).append(" |||||||||\n");
                    continue;
                }
                Stats wall = result.stat(ColdStart.Run::wallMs);
                Stats rss = result.stat(ColdStart.Run::rssMib);
                Stats classes = result.stat(run -> (double) run.classes());
                md.append("| ").append(name).append(" | ").append(result.function().memoryMb()).append(" | ").append(triple(wall))
                        .append(" | ").append(format(result.ratio(ColdStart.Run::wallMs).median(), 2))
                        .append(" | ").append(triple(result.stat(ColdStart.Run::initMs)))
                        .append(" | ").append(triple(result.stat(ColdStart.Run::invokeMs))).append(" | ").append(triple(result.stat(ColdStart.Run::cpuMs)))
                        .append(" | ").append(format(result.ratio(ColdStart.Run::cpuMs).median(), 2))
                        .append(" | ").append(format(rss.median(), 0)).append(" (max ").append(format(rss.max(), 0)).append(")")
                        .append(" | ").append(format(classes.median(), 0))
                        .append(" | ").append(result.statuses()).append(result.note().isEmpty() ? "" : " (" + result.note() + ")")
                        .append(" | ").append(jarOf(result.function())).append(" |\n");
                List<String> over = new ArrayList<>();
                if (wall.median() / 1000 > TARGET_WALL_S) {
                    over.add("median wall " + format(wall.median() / 1000, 2) + " s > 0.55 s");
                }
                if (classes.median() > TARGET_CLASSES) {
                    over.add(format(classes.median(), 0) + " classes > 3,000");
                }
                if (rss.median() > TARGET_RSS_MIB) {
                    over.add("peak RSS " + format(rss.median(), 0) + " MiB > 110 MiB");
                }
                if (result.failure() != null) {
                    over.add("harness failure: " + result.failure());
                }
                if (!over.isEmpty()) {
                    standsOut.add(name + ": " + String.join("; ", over));
                }
            }
            md.append('\n');
        }

        if (cold.stream().anyMatch(result -> !result.restored().isEmpty())) {
            md.append("## First request after a SnapStart restore\n\n");
            md.append("As many runs per function again, each a fresh JVM as above but with the JIT left whole (`"
                    + String.join(" ", ColdStart.SNAPSTART_FLAGS) + "` and the memory flags: on java25 Lambda stops "
                    + "compilation at C1 only where a function has no SnapStart), whose launcher calls the handler's SnapStart "
                    + "hooks between construction and the invocation: `beforeCheckpoint` (*prime*: what the function warms "
                    + "before the snapshot, without writing anything) then `afterRestore` (every cache connection dropped, the "
                    + "signing keys marked stale), with a pause between them that outlasts the JDK's keep-alive time and its "
                    + "TLS sessions' lifetime (both set to " + ColdStart.RESTORE_KEEP_ALIVE_SECONDS + " s here), so the "
                    + "invocation meets what a restored copy meets: it reconnects to Redis, Secrets Manager and DynamoDB "
                    + (settings.tls() ? "(full TLS handshakes, none resumed, on code the priming ran) " : "")
                    + "and re-reads what went stale. No snapshot is taken (no CRaC-capable JDK can be had from the registries "
                    + "this machine reaches), so the restore itself, which Lambda reports apart as *Restore Duration*, is not "
                    + "in it. *Its classes loaded* (median) are those the request loaded itself, which priming did not: after a real "
                    + "restore each is read from the jar, verified and run interpreted at first. The cold start's own first "
                    + "request is beside it for comparison. "
                    + "Times in ms; `min / median / max`.\n\n");
            List<ColdStart.Run> restoredReference = cold.stream().flatMap(result -> result.restoredReference().stream()).toList();
            if (!restoredReference.isEmpty()) {
                md.append("**Reference, in the same run**: each restore run is a pair as the cold starts are, with the "
                        + "reference's handler behind SnapStart's hooks (`SnapStartRuntimeSerialization`): its "
                        + "`beforeCheckpoint` primes as AWS's samples do, asking DynamoDB for product `0`, which does not "
                        + "exist, here through the whole handler from the event's JSON to the answer's; its first request "
                        + "after the pause opens a new TLS connection to DynamoDB and reads the product it is asked for. "
                        + "*×ref* is the median over the pairs of the two first requests' times.\n\n");
            }
            md.append("| function | prime | first request after restore | ×ref | its classes loaded | cold start's first request | status |\n"
                    + "|---|---|---|---|---|---|---|\n");
            if (!restoredReference.isEmpty()) {
                restoreRow(md, Reference.NAME, restoredReference, "1", reference);
            }
            for (ColdStart.Result result : cold) {
                if (!result.restored().isEmpty()) {
                    restoreRow(md, result.function().name(), result.restored(),
                            format(result.restoredRatio(ColdStart.Run::invokeMs).median(), 2), result.runs());
                }
            }
            md.append('\n');
        }

        if (!warm.isEmpty()) {
            md.append("## Warm cost (JMH)\n\n`KernelBenchmark`, SampleTime mode, one fork; the kernel's own work per request with in-memory stand-ins "
                    + "(no network, no bcrypt): the API Gateway event parsed from bytes, the ES256 access token verified and its "
                    + "session found alive, the body validated, the envelope built and serialised, the log line written (to nowhere).\n\n");
            md.append("| benchmark | p50 µs | p99 µs | p99.9 µs | samples |\n|---|---|---|---|---|\n");
            for (Bench.Warm w : warm) {
                md.append("| ").append(w.benchmark()).append(" | ").append(format(w.p50Us(), 1)).append(" | ").append(format(w.p99Us(), 1))
                        .append(" | ").append(format(w.p999Us(), 1)).append(" | ").append(w.samples()).append(" |\n");
                if (w.p99Us() >= TARGET_WARM_P99_US) {
                    standsOut.add("warm " + w.benchmark() + ": p99 " + format(w.p99Us(), 0) + " µs ≥ 1 ms");
                }
            }
            md.append('\n');
        }

        if (!warmPath.isEmpty()) {
            warmPathSection(md, standsOut);
        }

        md.append("## Package size\n\n| jar | bytes | MB |\n|---|---|---|\n");
        jars.forEach((jar, bytes) -> {
            md.append("| ").append(jar).append(" | ").append(bytes < 0 ? "missing" : String.format(Locale.ROOT, "%,d", bytes))
                    .append(" | ").append(bytes < 0 ? "" : format(bytes / 1e6, 1)).append(" |\n");
            if (bytes / 1e6 > TARGET_JAR_MB) {
                standsOut.add(jar + ": " + format(bytes / 1e6, 1) + " MB > 10 MB");
            }
        });
        md.append('\n');

        if (!scaleRows.isEmpty()) {
            md.append("## Scale\n\nThrough the local runner's HTTP API (one client, sequential requests; latency in ms as `median / p99`, "
                    + "errors = non-200 answers), on a local service of its own without the table's stream consumers (as the warm "
                    + "path's); a cache flush is done before its request, outside the latency. ").append(String.join("; ", scaleNotes)).append(".\n\n");
            md.append("| route |");
            sizes.forEach(size -> md.append(String.format(Locale.ROOT, " %,d users |", size)));
            md.append("\n|---|");
            sizes.forEach(size -> md.append("---|"));
            md.append('\n');
            scaleRows.forEach((route, bySize) -> {
                md.append("| ").append(route).append(" |");
                for (int size : sizes) {
                    Scale.Row row = bySize.get(size);
                    md.append(' ').append(row == null ? "" : format(row.latenciesMs().median(), 1) + " / " + format(row.latenciesMs().percentile(99), 1)
                            + " (n=" + row.latenciesMs().sorted().size() + (row.errors() > 0 ? ", " + row.errors() + " errors" : "") + ")").append(" |");
                }
                md.append('\n');
                if (sizes.size() >= 2 && bySize.containsKey(sizes.get(0)) && bySize.containsKey(sizes.get(sizes.size() - 1))) {
                    double small = bySize.get(sizes.get(0)).latenciesMs().median();
                    double large = bySize.get(sizes.get(sizes.size() - 1)).latenciesMs().median();
                    if (large > small * 1.5 && large - small > 2) {
                        standsOut.add("scale " + route + ": median " + format(small, 1) + " ms → " + format(large, 1) + " ms (not flat)");
                    }
                }
                bySize.values().stream().filter(row -> row.errors() > 0).forEach(row ->
                        standsOut.add("scale " + route + " at " + row.users() + " users: " + row.errors() + " errors"));
            });
            md.append('\n');
        }

        if (throughput != null) {
            md.append("## Local throughput\n\n| tool | target | requests/s | p50 | p99 | requests | errors |\n|---|---|---|---|---|---|---|\n");
            md.append("| ").append(throughput.tool()).append(" | ").append(throughput.target()).append(" | ")
                    .append(format(throughput.requestsPerSecond(), 0)).append(" | ").append(throughput.p50()).append(" | ")
                    .append(throughput.p99()).append(" | ").append(throughput.requests()).append(" | ").append(throughput.errors())
                    .append(" (").append(throughput.errorDetail()).append(") |\n\n");
            if (throughput.errors() > 0) {
                standsOut.add("throughput: " + throughput.errors() + " errors (must be zero)");
            }
        }

        md.append("## What stands out\n\n");
        if (standsOut.isEmpty()) {
            md.append("Nothing over a target in this run.\n");
        } else {
            md.append("Every measurement over its target in this run:\n\n");
            standsOut.forEach(line -> md.append("- ").append(line).append('\n'));
        }
        md.append('\n');
        md.append(keptSection());
        Files.createDirectories(settings.out().getParent());
        Files.writeString(settings.out(), md.toString());
    }

    private void warmPathSection(StringBuilder md, List<String> standsOut) {
        md.append("## Warm path per function (JMH, real DynamoDB Local and Redis)\n\n`WarmPathBenchmark`, SampleTime mode, "
                + "one fork per row with the function's memory flags and the serial GC (the JIT left whole, as SnapStart leaves it): "
                + "the function's real handler class built once from its environment as the local runner gives it, then invoked "
                + "with its API Gateway event's bytes. No API Gateway and no runner HTTP in the figure; the hop to DynamoDB Local "
                + "(in the benchmark's JVM) and to Redis (").append(settings.tls() ? "over TLS" : "without TLS")
                .append(") is real, over loopback. *Random user*: drawn per request from the seeded users and read with a "
                + "service token; *uncached*: the user's cached views deleted before each request, outside the timing. "
                + "Users are clones of one signed-up user (profile, preferences, device, push targets; no sessions: a cloned "
                + "user is only ever named with a service token) written by BatchWriteItem. The write changes something on "
                + "every request (a custom field of a new value): the same body twice on a user stores nothing the second "
                + "time, and how often a user is drawn twice depends on the table's size. The table's stream consumers are not "
                + "run here: in AWS they run elsewhere, here they would read every seeded item in the benchmark's JVM while "
                + "the handler is measured.\n\n");
        for (WarmPath.Size size : warmPath) {
            md.append(String.format(Locale.ROOT, "### %,d users%n%nSeeded in %.1f s: %,d items (%d per user) at %,.0f items/s.%n%n",
                    size.users(), size.seedSeconds(), size.seededItems(), size.itemsPerUser(),
                    size.seedSeconds() > 0 ? size.seededItems() / size.seedSeconds() : 0));
            md.append("| function | variant | p50 µs | p99 µs | p99.9 µs | samples |\n|---|---|---|---|---|---|\n");
            for (WarmPath.Row row : size.rows()) {
                md.append("| ").append(row.variant().function()).append(" | ").append(row.variant().label()).append(" | ");
                if (row.failure() != null) {
                    md.append("failed: ").append(escape(row.failure())).append(" ||||\n");
                    standsOut.add("warm path " + row.variant().function() + " (" + row.variant().label() + ") at "
                            + size.users() + " users: failed");
                    continue;
                }
                md.append(format(row.p50Us(), 0)).append(" | ").append(format(row.p99Us(), 0)).append(" | ")
                        .append(format(row.p999Us(), 0)).append(" | ").append(row.samples()).append(" |\n");
            }
            md.append('\n');
        }
        if (warmPath.size() >= 2) {
            WarmPath.Size small = warmPath.get(0);
            WarmPath.Size large = warmPath.get(warmPath.size() - 1);
            for (int i = 0; i < Math.min(small.rows().size(), large.rows().size()); i++) {
                double before = small.rows().get(i).p50Us();
                double after = large.rows().get(i).p50Us();
                if (after > before * 1.5) {
                    standsOut.add(String.format(Locale.ROOT, "warm path %s (%s): p50 %.0f µs at %,d users → %.0f µs at %,d (not flat)",
                            small.rows().get(i).variant().function(), small.rows().get(i).variant().label(), before, small.users(),
                            after, large.users()));
                }
            }
        }
    }

    /**
     * The optimisations section is written by hand, each entry with its own before-and-after runs; a new run of the
     * benchmark replaces the tables above it and keeps it.
     */
    private String keptSection() throws IOException {
        if (!Files.exists(settings.out())) {
            return "";
        }
        String previous = Files.readString(settings.out());
        int start = previous.indexOf("\n" + OPTIMISATIONS_HEADING);
        return start < 0 ? "" : previous.substring(start + 1);
    }

    private static String referenceMedian(List<ColdStart.Run> runs, java.util.function.Function<ColdStart.Run, Double> metric,
                                          int decimals, String unit) {
        if (runs.isEmpty()) {
            return "not measured in this run";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", ColdStart.stat(runs, metric).median()) + unit;
    }

    private String referenceJar() {
        try {
            return format(Files.size(settings.root().resolve("bench/reference/target/reference.jar")) / 1e6, 1) + " MB";
        } catch (IOException e) {
            return "?";
        }
    }

    private String jarOf(Functions.Function function) {
        String key = settings.root().relativize(function.jar()).toString();
        Long bytes = jars.get(key);
        return bytes == null || bytes < 0 ? "?" : format(bytes / 1e6, 1) + " MB";
    }

    /** One row of the restore table: {@code cold} are the same function's cold starts, for their first request. */
    private static void restoreRow(StringBuilder md, String name, List<ColdStart.Run> restored, String ratio,
                                   List<ColdStart.Run> cold) {
        md.append("| ").append(name)
                .append(" | ").append(triple(ColdStart.stat(restored, ColdStart.Run::primeMs)))
                .append(" | ").append(triple(ColdStart.stat(restored, ColdStart.Run::invokeMs)))
                .append(" | ").append(ratio)
                .append(" | ").append(format(ColdStart.stat(restored, run -> (double) run.requestClasses()).median(), 0))
                .append(" | ").append(triple(ColdStart.stat(cold, ColdStart.Run::invokeMs)))
                .append(" | ").append(ColdStart.statuses(restored)).append(" |\n");
    }

    private static String triple(Stats stats) {
        return format(stats.min(), 0) + " / " + format(stats.median(), 0) + " / " + format(stats.max(), 0);
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
