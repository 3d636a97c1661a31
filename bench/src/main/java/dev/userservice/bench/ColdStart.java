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

    /** {@code requestClasses}: the classes loaded during the invocation (after a restore: those priming did not load). */
    record Run(double wallMs, double initMs, double primeMs, double invokeMs, double cpuMs, double rssMib, int classes,
               int requestClasses, String status) {}

    /**
     * {@code reference}: the reference's runs, one paired with each of {@code runs} (empty when not measured);
     * {@code restored}: as many runs with the SnapStart hooks called before the invocation (empty when not measured).
     */
    record Result(Functions.Function function, String note, List<Run> runs, List<Run> reference, List<Run> restored,
                  String failure) {
        Stats stat(Function<Run, Double> metric) {
            return ColdStart.stat(runs, metric);
        }

        /** The function's metric over the reference's, in each pair: their median is the row's ratio. */
        Stats ratio(Function<Run, Double> metric) {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < Math.min(runs.size(), reference.size()); i++) {
                ratios.add(metric.apply(runs.get(i)) / metric.apply(reference.get(i)));
            }
            return Stats.of(ratios);
        }

        String statuses() {
            return ColdStart.statuses(runs);
        }
    }

    static Stats stat(List<Run> runs, Function<Run, Double> metric) {
        return Stats.of(runs.stream().map(metric).toList());
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

    /**
     * {@code classLog}: null, or a directory to receive each function's list of loaded classes (its last cold run's
     * and its last restore run's);
     * {@code cpuFlags}: the launcher's flags for the CPU of a function of the given memory size ({@link LambdaCpu});
     * {@code settle}: run before each measured JVM starts, to wait until the work an earlier run left to the local
     * runner (its stream consumers) is done: in AWS that work runs on other machines, here it would share the cores
     * with whichever JVM came next, the reference's or a function's.
     */
    ColdStart(Path java, Path launcherJar, Path work, Path classLog, List<String> extraFlags, IntFunction<List<String>> cpuFlags,
              Runnable settle) {
        this.java = java;
        this.launcherJar = launcherJar;
        this.work = work;
        this.classLog = classLog;
        this.extraFlags = List.copyOf(extraFlags);
        this.cpuFlags = cpuFlags;
        this.settle = settle;
        if (classLog != null) {
            ensureDirectory(classLog);
        }
    }

    /**
     * {@code runs} cold starts of {@code function}, each paired with one of {@code reference} when there is one, and
     * with {@code restores} as many stand-ins for the first request after a SnapStart restore: a fresh JVM whose
     * handler's hooks run between construction and the invocation, {@code beforeCheckpoint} (priming) then
     * {@code afterRestore} (every connection dropped, every stale flag set), so the invocation meets what a restored
     * copy meets, minus the restore itself.
     */
    Result measure(Functions.Function function, Map<String, String> environment, Supplier<String> eventSource, int runs,
                   String note, Optional<Reference> reference, boolean restores) {
        List<Run> measured = new ArrayList<>();
        List<Run> references = new ArrayList<>();
        List<Run> restored = new ArrayList<>();
        try {
            Path referenceEvent = work.resolve("reference.json");
            if (reference.isPresent()) {
                Files.writeString(referenceEvent, reference.get().event());
            }
            Functions.Function paired = reference.map(r -> r.function(function)).orElse(null);
            for (int i = 0; i < runs; i++) {
                Path event = work.resolve(function.name() + "-" + i + ".json");
                Files.writeString(event, eventSource.get());
                // In turn first and second: neither gets the page cache or the CPU's clock that the other left.
                boolean referenceFirst = i % 2 == 0;
                if (paired != null && referenceFirst) {
                    references.add(once(paired, reference.get().environment(), referenceEvent, false));
                }
                measured.add(once(function, environment, event, false));
                if (paired != null && !referenceFirst) {
                    references.add(once(paired, reference.get().environment(), referenceEvent, false));
                }
                if (restores) {
                    Path restoreEvent = work.resolve(function.name() + "-restore-" + i + ".json");
                    Files.writeString(restoreEvent, eventSource.get());
                    restored.add(once(function, environment, restoreEvent, true));
                }
            }
            return new Result(function, note, measured, references, restored, null);
        } catch (RuntimeException | IOException e) {
            return new Result(function, note, measured, references, restored, e.getMessage());
        }
    }

    private Run once(Functions.Function function, Map<String, String> environment, Path event, boolean primed) throws IOException {
        settle.run();
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(primed ? SNAPSTART_FLAGS : LAMBDA_FLAGS);
        command.addAll(memoryFlags(function.memoryMb()));
        if (classLog != null) {
            // A restore run's log carries the uptime: its request's classes are those after the pause between the hooks.
            String name = function.name().replaceAll("[^A-Za-z0-9.-]", "_") + (primed ? "-restore.log" : ".log");
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
