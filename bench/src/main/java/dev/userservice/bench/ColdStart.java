package dev.userservice.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Cold starts: for each function, a fresh JVM with Lambda's flags, only that function's jar (and the tiny launcher)
 * on the class path, the function's environment, one invocation of its sample event. With a {@link Reference}, each
 * run is a pair: the reference's cold start with the same flags and memory, just before or just after (in turn), so
 * the two see the same machine and their ratio holds where the machine's noise moves both.
 */
final class ColdStart {
    /**
     * A JVM of a function with SnapStart, restored or warm: the java runtime's bootstrap picks the serial GC, and
     * java25 leaves the JIT whole (template.yaml says why), so priming's code is compiled by C1 with profiles and,
     * where it runs hot enough, by C2, and a restored copy runs on that code.
     */
    static final List<String> SNAPSTART_FLAGS = List.of("-Xshare:auto", "-XX:+UseSerialGC");

    /** An on-demand JVM: Lambda's java runtimes stop tiered compilation at C1 there. */
    static final List<String> LAMBDA_FLAGS = Stream.concat(Stream.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"),
            SNAPSTART_FLAGS.stream()).toList();

    /**
     * The memory a function's JVM has inside Lambda: its microVM holds only the function's memory size, from which
     * the JVM sizes its initial heap, and the runtime caps the heap at 85%, metaspace at 10% and the code cache at 5%
     * of it (as the runtime's java command line shows). Without this the JVM would size itself for this machine.
     */
    static List<String> memoryFlags(int memoryMb) {
        long kib = memoryMb * 1024L;
        return List.of("-XX:MaxRAM=" + memoryMb + "m", "-XX:MaxHeapSize=" + kib * 85 / 100 + "k",
                "-XX:MaxMetaspaceSize=" + kib * 10 / 100 + "k", "-XX:ReservedCodeCacheSize=" + kib * 5 / 100 + "k");
    }

    /**
     * The JDK's keep-alive time and TLS session lifetime in the SnapStart runs, which the launcher waits out between
     * the hooks: shorter than the JDK's five seconds and one day, so the wait costs little. A snapshot days old holds
     * TLS sessions its servers no longer resume, so a restored copy's first request pays full handshakes.
     */
    static final int RESTORE_KEEP_ALIVE_SECONDS = 1;

    /**
     * Which cold starts begin from JDK 25's ahead-of-time cache (JEP 483 and 514), each trained by one run of its own
     * request just before it is measured: the functions' alone (the reference stays the sample as published), or the
     * reference's too (like for like). A cache holds its classes loaded and linked, its lambdas' classes among them.
     */
    enum AotCache {
        NONE, FUNCTIONS, ALL;

        static AotCache parse(String text) {
            return switch (text) {
                case "functions" -> FUNCTIONS;
                case "all" -> ALL;
                default -> throw new IllegalArgumentException("bench: --aot-cache takes functions or all, not " + text);
            };
        }
    }

    /** {@code requestClasses}: the classes loaded during the invocation (after a restore: those priming did not load). */
    record Run(double wallMs, double initMs, double primeMs, double invokeMs, double cpuMs, double rssMib, int classes,
               int requestClasses, String status) {}

    /**
     * {@code reference}: the reference's runs, one paired with each of {@code runs} (empty when not measured);
     * {@code restored}: as many runs with the SnapStart hooks called before the invocation (empty when not measured),
     * and {@code restoredReference} the reference's, one paired with each of them.
     */
    record Result(Functions.Function function, String note, List<Run> runs, List<Run> reference, List<Run> restored,
                  List<Run> restoredReference, String failure) {
        Stats stat(Function<Run, Double> metric) {
            return ColdStart.stat(runs, metric);
        }

        /** The function's metric over the reference's, in each pair: their median is the row's ratio. */
        Stats ratio(Function<Run, Double> metric) {
            return ColdStart.ratio(runs, reference, metric);
        }

        /** As {@link #ratio}, for the runs after a restore. */
        Stats restoredRatio(Function<Run, Double> metric) {
            return ColdStart.ratio(restored, restoredReference, metric);
        }

        String statuses() {
            return ColdStart.statuses(runs);
        }
    }

    static Stats stat(List<Run> runs, Function<Run, Double> metric) {
        return Stats.of(runs.stream().map(metric).toList());
    }

    private static Stats ratio(List<Run> runs, List<Run> reference, Function<Run, Double> metric) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(runs.size(), reference.size()); i++) {
            ratios.add(metric.apply(runs.get(i)) / metric.apply(reference.get(i)));
        }
        return Stats.of(ratios);
    }

    /** The answers' statuses, each once, in the order first seen. */
    static String statuses(List<Run> runs) {
        Set<String> seen = new LinkedHashSet<>();
        runs.forEach(run -> seen.add(run.status()));
        return String.join(",", seen);
    }

    private final Path java;
    private final Path launcherJar;
    private final Path work;
    private final Path classLog;
    private final List<String> extraFlags;
    private final IntFunction<List<String>> cpuFlags;
    private final Runnable settle;
    private final AotCache aotCache;
    /** The reference's caches by memory size: each is trained once, for the first function paired at that size. */
    private final Map<Integer, List<String>> referenceCaches = new HashMap<>();

    /**
     * {@code classLog}: null, or a directory to receive each function's list of loaded classes (its last cold run's
     * and its last restore run's);
     * {@code cpuFlags}: the launcher's flags for the CPU of a function of the given memory size ({@link LambdaCpu});
     * {@code settle}: run before each measured JVM starts, to wait until the work an earlier run left to the local
     * runner (its stream consumers) is done: in AWS that work runs on other machines, here it would share the cores
     * with whichever JVM came next, the reference's or a function's.
     */
    ColdStart(Path java, Path launcherJar, Path work, Path classLog, List<String> extraFlags, IntFunction<List<String>> cpuFlags,
              Runnable settle, AotCache aotCache) {
        this.java = java;
        this.launcherJar = launcherJar;
        this.work = work;
        this.classLog = classLog;
        this.extraFlags = List.copyOf(extraFlags);
        this.cpuFlags = cpuFlags;
        this.settle = settle;
        this.aotCache = aotCache;
        if (classLog != null) {
            ensureDirectory(classLog);
        }
    }

    /**
     * {@code runs} cold starts of {@code function}, each paired with one of {@code reference} when there is one, and
     * with {@code restores} as many stand-ins for the first request after a SnapStart restore: a fresh JVM whose
     * handler's hooks run between construction and the invocation, {@code beforeCheckpoint} (priming) then
     * {@code afterRestore} (every connection dropped, every stale flag set), so the invocation meets what a restored
     * copy meets, minus the restore itself; each of those is paired with the reference's, primed as AWS's samples are.
     */
    Result measure(Functions.Function function, Map<String, String> environment, Supplier<String> eventSource, int runs,
                   String note, Optional<Reference> reference, boolean restores) {
        List<Run> measured = new ArrayList<>();
        List<Run> references = new ArrayList<>();
        List<Run> restored = new ArrayList<>();
        List<Run> restoredReferences = new ArrayList<>();
        try {
            Path referenceEvent = work.resolve("reference.json");
            if (reference.isPresent()) {
                Files.writeString(referenceEvent, reference.get().event());
            }
            Functions.Function paired = reference.map(r -> r.function(function, false)).orElse(null);
            Functions.Function pairedRestore = reference.map(r -> r.function(function, true)).orElse(null);
            Map<String, String> referenceEnvironment = reference.map(Reference::environment).orElse(Map.of());
            List<String> functionCache = aotCache == AotCache.NONE ? List.of()
                    : trainAotCache(function, environment, eventSource.get());
            List<String> referenceCache = aotCache == AotCache.ALL && paired != null
                    ? referenceCache(paired, reference.get()) : List.of();
            for (int i = 0; i < runs; i++) {
                // In turn first and second: neither gets the page cache or the CPU's clock that the other left.
                boolean referenceFirst = i % 2 == 0;
                Path event = work.resolve(function.name() + "-" + i + ".json");
                Files.writeString(event, eventSource.get());
                pair(referenceFirst,
                        paired == null ? null : () -> references.add(
                                once(paired, referenceEnvironment, referenceEvent, false, referenceCache)),
                        () -> measured.add(once(function, environment, event, false, functionCache)));
                if (restores) {
                    Path restoreEvent = work.resolve(function.name() + "-restore-" + i + ".json");
                    Files.writeString(restoreEvent, eventSource.get());
                    pair(referenceFirst,
                            pairedRestore == null ? null : () -> restoredReferences.add(
                                    once(pairedRestore, referenceEnvironment, referenceEvent, true, List.of())),
                            () -> restored.add(once(function, environment, restoreEvent, true, List.of())));
                }
            }
            return new Result(function, note, measured, references, restored, restoredReferences, null);
        } catch (RuntimeException | IOException e) {
            return new Result(function, note, measured, references, restored, restoredReferences, e.getMessage());
        }
    }

    private interface Measurement {
        void run() throws IOException;
    }

    /** The function's measurement, with the reference's (when there is one) before or after it. */
    private static void pair(boolean referenceFirst, Measurement reference, Measurement function) throws IOException {
        if (reference != null && referenceFirst) {
            reference.run();
        }
        function.run();
        if (reference != null && !referenceFirst) {
            reference.run();
        }
    }

    private List<String> referenceCache(Functions.Function paired, Reference reference) throws IOException {
        List<String> cache = referenceCaches.get(paired.memoryMb());
        if (cache == null) {
            cache = trainAotCache(paired, reference.environment(), reference.event());
            referenceCaches.put(paired.memoryMb(), cache);
        }
        return cache;
    }

    /**
     * Trains {@code function}'s cache with one run of {@code event}, whose figures are not kept; returns the flag that
     * starts a JVM from it. A restored copy starts from its snapshot, so only cold starts use the cache.
     */
    private List<String> trainAotCache(Functions.Function function, Map<String, String> environment, String event)
            throws IOException {
        // With its memory size: the reference is trained once for each size, with the memory flags it then runs with.
        String name = fileName(function) + "-" + function.memoryMb();
        Path cache = work.resolve(name + ".aot");
        Path training = work.resolve(name + "-aot-training.json");
        Files.writeString(training, event);
        once(function, environment, training, false, List.of("-XX:AOTCacheOutput=" + cache));
        return List.of("-XX:AOTCache=" + cache);
    }

    /** {@code aotFlags}: the ahead-of-time cache this JVM writes or starts from, or none. */
    private Run once(Functions.Function function, Map<String, String> environment, Path event, boolean primed,
                     List<String> aotFlags) throws IOException {
        settle.run();
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        // The JVM refuses -Xshare beside an ahead-of-time cache: the cache takes the place of the JDK's own archive.
        (primed ? SNAPSTART_FLAGS : LAMBDA_FLAGS).stream()
                .filter(flag -> aotFlags.isEmpty() || !flag.startsWith("-Xshare"))
                .forEach(command::add);
        command.addAll(aotFlags);
        command.addAll(memoryFlags(function.memoryMb()));
        if (classLog != null) {
            // A restore run's log carries the uptime: its request's classes are those after the pause between the hooks.
            String name = fileName(function) + (primed ? "-restore.log" : ".log");
            command.add("-Xlog:class+load=info:file=" + classLog.resolve(name) + (primed ? ":uptime" : ":none"));
        }
        command.addAll(extraFlags);
        command.addAll(cpuFlags.apply(function.memoryMb()));
        command.add("-Dbench.timeoutSeconds=" + function.timeoutSeconds());
        if (primed) {
            command.add("-Dhttp.keepAlive.time.server=" + RESTORE_KEEP_ALIVE_SECONDS);
            // Despite its name, the JDK applies this to every session cache, a client's too.
            command.add("-Djdk.tls.server.sessionTicketTimeout=" + RESTORE_KEEP_ALIVE_SECONDS);
        }
        command.add("-cp");
        command.add(function.jar() + File.pathSeparator + launcherJar);
        command.add("dev.userservice.bench.launcher.Launcher");
        command.add(function.handlerClass());
        command.add(event.toString());
        if (primed) {
            command.add("--primed");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        Map<String, String> keep = new HashMap<>();
        for (String name : List.of("PATH", "HOME", "LANG", "TZ")) {
            if (env.containsKey(name)) {
                keep.put(name, env.get(name));
            }
        }
        env.clear();
        env.putAll(keep);
        env.putAll(environment);
        // As Lambda's runtime tells a function how it is being initialised.
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", primed ? "snap-start" : "on-demand");
        long started = System.nanoTime();
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(function.name() + ": no exit within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        double wallMs = (System.nanoTime() - started) / 1e6;
        String text = new String(output, StandardCharsets.UTF_8);
        String result = text.lines().filter(line -> line.startsWith("BENCH-RESULT")).reduce((a, b) -> b).orElseThrow(() ->
                new IllegalStateException(function.name() + ": the launcher printed no result (exit " + process.exitValue()
                        + "): " + tail(text)));
        Map<String, String> fields = new HashMap<>();
        for (String part : result.substring("BENCH-RESULT".length()).trim().split(" ")) {
            int eq = part.indexOf('=');
            fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return new Run(wallMs, Double.parseDouble(fields.get("init_ms")), Double.parseDouble(fields.get("prime_ms")),
                Double.parseDouble(fields.get("invoke_ms")),
                Double.parseDouble(fields.get("cpu_ms")), Long.parseLong(fields.get("rss_hwm_kib")) / 1024.0,
                Integer.parseInt(fields.get("classes")), Integer.parseInt(fields.get("request_classes")), fields.get("status"));
    }

    /** The function's name as a file name: the reference's has spaces and brackets. */
    private static String fileName(Functions.Function function) {
        return function.name().replaceAll("[^A-Za-z0-9.-]", "_");
    }

    private static String tail(String text) {
        return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    }

    static void ensureDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
