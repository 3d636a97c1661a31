package dev.userservice.bench.launcher;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One cold start, as Lambda's init and first invoke do it: loads the handler class from the function's jar, builds
 * it through its no-argument constructor (its configuration comes from the process environment), invokes
 * {@code handleRequest(InputStream, OutputStream, Context)} once with the event file's bytes, then prints one
 * {@code BENCH-RESULT} line with the timings, the answer's status, the classes loaded, CPU time and peak RSS.
 *
 * <p>With {@code --primed}, a handler that has SnapStart hooks (an {@code org.crac.Resource}) gets them called
 * between construction and the invocation, {@code beforeCheckpoint} then {@code afterRestore}, timed apart: the
 * invocation is then a stand-in for the first request after a restore: between the hooks it waits until the JDK's
 * keep-alive cache no longer lends the connections priming opened, nor resumes their TLS sessions, as after a real
 * restore. No snapshot is taken (that needs a CRaC JVM), so the restore's own cost is not in it.
 *
 * <p>With the {@code bench.cpu.cgroup} property ({@code bench/run --lambda-cpu}), the JVM moves itself into that CPU
 * cgroup and runs its init on {@code bench.cpu.initVcpus} vCPUs, then its invocation on {@code bench.cpu.invokeVcpus}
 * ({@code LambdaCpu} sets them as Lambda gives them).
 *
 * <p>Like Lambda's Java runtime, it calls a {@code RequestStreamHandler} directly with a {@code Context} of its own
 * class; those two interfaces come from the function's jar at run time (they are in every function's), so the class
 * path is the function's jar plus this one tiny jar.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        boolean primed = args.length == 3 && args[2].equals("--primed");
        if (args.length != 2 && !primed) {
            System.err.println("usage: Launcher HANDLER_CLASS EVENT_FILE [--primed]");
            System.exit(2);
        }
        CpuQuota cpu = CpuQuota.fromProperties();
        cpu.limit(cpu.initVcpus());
        cpu.join();
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        ClassLoader loader = Launcher.class.getClassLoader();

        Class<?> type = Class.forName(args[0], true, loader);
        Object handler = type.getConstructor().newInstance();
        long initialised = System.nanoTime();
        boolean hooks = primed && hasSnapStartHooks(handler, loader);
        long snapshotAge = 0;
        if (hooks) {
            hook(handler, loader, "beforeCheckpoint");
            snapshotAge = ageTheSnapshot();
        }
        // Lambda takes the snapshot at init; the restore and the first request run on the invocation's CPU.
        cpu.limit(cpu.invokeVcpus());
        if (hooks) {
            hook(handler, loader, "afterRestore");
        }
        // Counted before the clock starts: the management API's own classes are not the request's.
        long classesBefore = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        long ready = System.nanoTime();

        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String thrown = null;
        try {
            ((RequestStreamHandler) handler).handleRequest(new ByteArrayInputStream(event), output,
                    new MinimalContext(ready + Integer.getInteger("bench.timeoutSeconds", 3) * 1_000_000_000L));
        } catch (Exception | Error e) {
            // The function failed its invocation (as Lambda would report): still a measured cold start. A linkage
            // error (a class its jar lacks) is reported by name, and the smoke run fails on it.
            thrown = "threw:" + e.getClass().getSimpleName();
        }
        long invoked = System.nanoTime();

        String answer = output.toString(StandardCharsets.UTF_8);
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        int classes = (int) ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        long cpuMillis = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L);
        long hwmKib = peakRssKib();

        StringBuilder line = new StringBuilder("BENCH-RESULT");
        line.append(" init_ms=").append((initialised - start) / 1_000_000.0);
        line.append(" prime_ms=").append((ready - initialised - snapshotAge) / 1_000_000.0);
        line.append(" invoke_ms=").append((invoked - ready) / 1_000_000.0);
        line.append(" jvm_uptime_ms=").append(uptime);
        line.append(" cpu_ms=").append(cpuMillis);
        line.append(" classes=").append(classes);
        line.append(" request_classes=").append(classes - classesBefore);
        line.append(" rss_hwm_kib=").append(hwmKib);
        line.append(" status=").append(thrown != null ? thrown : status(answer));
        System.out.println(line);
        System.out.flush();
        System.exit(0);
    }

    /**
     * Lets the JDK's keep-alive cache and TLS sessions outlive what priming left in them, as the minutes or days
     * between a snapshot and its restore do: a restored copy's first AWS call then opens a new connection (and a full
     * TLS handshake) as it does in Lambda. The benchmark starts a primed JVM with a keep-alive time and a session
     * lifetime of one second ({@code http.keepAlive.time.server}, {@code jdk.tls.server.sessionTicketTimeout}) so
     * that this takes about one second, not the JDK's five. Returns the time slept.
     */
    private static long ageTheSnapshot() throws InterruptedException {
        long started = System.nanoTime();
        Thread.sleep(Integer.getInteger("http.keepAlive.time.server", 5) * 1_000L + 100);
        return System.nanoTime() - started;
    }

    /** Whether the handler has SnapStart's hooks: is an {@code org.crac.Resource} of its jar. */
    private static boolean hasSnapStartHooks(Object handler, ClassLoader loader) {
        try {
            return Class.forName("org.crac.Resource", false, loader).isInstance(handler);
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** One of SnapStart's hooks, called as Lambda's runtime calls it around a snapshot. */
    private static void hook(Object handler, ClassLoader loader, String name) throws Exception {
        Class<?> context = Class.forName("org.crac.Context", false, loader);
        Class.forName("org.crac.Resource", false, loader).getMethod(name, context).invoke(handler, (Object) null);
    }

    /** The CPU cgroup this JVM runs in and the quotas the benchmark gave it, or none: then every call does nothing. */
    private record CpuQuota(Path cgroup, int periodMicros, double initVcpus, double invokeVcpus) {
        static CpuQuota fromProperties() {
            String cgroup = System.getProperty("bench.cpu.cgroup");
            return new CpuQuota(cgroup == null ? null : Path.of(cgroup), Integer.getInteger("bench.cpu.periodMicros", 0),
                    Double.parseDouble(System.getProperty("bench.cpu.initVcpus", "0")),
                    Double.parseDouble(System.getProperty("bench.cpu.invokeVcpus", "0")));
        }

        void join() throws IOException {
            if (cgroup != null) {
                // In cgroup.procs, a process id moves all of the JVM's threads: the compiler's and the collector's too.
                Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(ProcessHandle.current().pid()));
            }
        }

        void limit(double vcpus) throws IOException {
            if (cgroup == null) {
                return;
            }
            long quota = Math.round(vcpus * periodMicros);
            if (Files.exists(cgroup.resolve("cpu.max"))) {
                Files.writeString(cgroup.resolve("cpu.max"), quota + " " + periodMicros);
            } else {
                Files.writeString(cgroup.resolve("cpu.cfs_period_us"), Integer.toString(periodMicros));
                Files.writeString(cgroup.resolve("cpu.cfs_quota_us"), Long.toString(quota));
            }
        }
    }

    /** The {@code statusCode} of an HTTP answer, or a short description of any other answer. */
    private static String status(String answer) {
        int at = answer.indexOf("\"statusCode\"");
        if (at >= 0) {
            int colon = answer.indexOf(':', at);
            int end = colon + 1;
            while (end < answer.length() && (Character.isDigit(answer.charAt(end)) || answer.charAt(end) == ' ')) {
                end++;
            }
            return answer.substring(colon + 1, end).trim();
        }
        if (answer.contains("\"batchItemFailures\":[]")) {
            return "batch-ok";
        }
        if (answer.contains("batchItemFailures")) {
            return "batch-failures";
        }
        return answer.isEmpty() ? "empty" : "other";
    }

    private static long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
        } catch (Exception e) {
            // not Linux: no peak RSS
        }
        return -1;
    }

    /** Lambda's {@code Context} with the values a handler may read; a logger that writes to standard output. */
    private static final class MinimalContext implements Context {
        private final String name = System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "bench");
        /** When the function's timeout ends, by {@link System#nanoTime}. */
        private final long deadline;

        MinimalContext(long deadline) {
            this.deadline = deadline;
        }

        @Override public String getAwsRequestId() { return "00000000-0000-4000-8000-000000000001"; }
        @Override public String getLogGroupName() { return "/aws/lambda/" + name; }
        @Override public String getLogStreamName() { return "bench"; }
        @Override public String getFunctionName() { return name; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:" + name; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return (int) ((deadline - System.nanoTime()) / 1_000_000); }
        @Override public int getMemoryLimitInMB() { return 512; }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String message) { System.out.print(message); }
                @Override public void log(byte[] message) { System.out.print(new String(message, StandardCharsets.UTF_8)); }
            };
        }
    }
}
