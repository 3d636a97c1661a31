package dev.userservice.bench.launcher;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
 * invocation is then a stand-in for the first request after a restore. No snapshot is taken (that needs a CRaC JVM),
 * so the restore's own cost is not in it.
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
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        ClassLoader loader = Launcher.class.getClassLoader();

        Class<?> type = Class.forName(args[0], true, loader);
        Object handler = type.getConstructor().newInstance();
        long initialised = System.nanoTime();
        if (primed) {
            checkpointAndRestore(handler, loader);
        }
        long ready = System.nanoTime();

        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String thrown = null;
        try {
            ((RequestStreamHandler) handler).handleRequest(new ByteArrayInputStream(event), output, new MinimalContext());
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
        line.append(" prime_ms=").append((ready - initialised) / 1_000_000.0);
        line.append(" invoke_ms=").append((invoked - ready) / 1_000_000.0);
        line.append(" jvm_uptime_ms=").append(uptime);
        line.append(" cpu_ms=").append(cpuMillis);
        line.append(" classes=").append(classes);
        line.append(" rss_hwm_kib=").append(hwmKib);
        line.append(" status=").append(thrown != null ? thrown : status(answer));
        System.out.println(line);
        System.out.flush();
        System.exit(0);
    }

    /** SnapStart's hooks as Lambda's runtime calls them around a snapshot, if the handler has them. */
    private static void checkpointAndRestore(Object handler, ClassLoader loader) throws Exception {
        Class<?> resource;
        try {
            resource = Class.forName("org.crac.Resource", false, loader);
        } catch (ClassNotFoundException e) {
            return;
        }
        if (!resource.isInstance(handler)) {
            return;
        }
        Class<?> context = Class.forName("org.crac.Context", false, loader);
        resource.getMethod("beforeCheckpoint", context).invoke(handler, (Object) null);
        resource.getMethod("afterRestore", context).invoke(handler, (Object) null);
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

        @Override public String getAwsRequestId() { return "00000000-0000-4000-8000-000000000001"; }
        @Override public String getLogGroupName() { return "/aws/lambda/" + name; }
        @Override public String getLogStreamName() { return "bench"; }
        @Override public String getFunctionName() { return name; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:" + name; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 30_000; }
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
