package dev.userservice.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.snapstart.SnapStartFunction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code AWS::Serverless::Function} of the template, loaded as Lambda would load it: its handler class built
 * once with the function's own environment, then invoked with event bytes, from any number of threads.
 */
record LocalFunction(String name, String handlerClass, Map<String, String> environment, int memoryMb,
                     int timeoutSeconds, List<Route> routes, IamPolicy policy, RequestStreamHandler handler) {

    /** An {@code HttpApi} event of the function: the method (or {@code ANY}) and the path template or {@code $default}. */
    record Route(String method, String path) {}

    /**
     * Builds the handler through its constructor that takes the environment map, the way every handler offers it
     * beside Lambda's no-argument one.
     */
    static RequestStreamHandler instantiate(String name, String handlerClass, Map<String, String> environment) {
        try {
            Class<?> type = Class.forName(handlerClass);
            if (!RequestStreamHandler.class.isAssignableFrom(type)) {
                throw new IllegalStateException(name + ": " + handlerClass + " is not a RequestStreamHandler");
            }
            return (RequestStreamHandler) type.getConstructor(Map.class).newInstance(environment);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name + ": handler class " + handlerClass + " does not exist", e);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(name + ": " + handlerClass + " needs a constructor taking the environment map", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(name + ": " + handlerClass + " failed to initialise: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(name + ": cannot build " + handlerClass, e);
        }
    }

    /**
     * SnapStart's hook before a snapshot, as Lambda's runtime calls it on a handler with hooks, under the function's
     * own permissions (a call its policy does not allow fails here as it would on AWS).
     */
    void beforeCheckpoint() {
        if (handler instanceof SnapStartFunction hooks) {
            policy.runAs(() -> {
                hooks.beforeCheckpoint(null);
                return null;
            });
        }
    }

    /** SnapStart's hook after a restore, as {@link #beforeCheckpoint()} calls the one before. */
    void afterRestore() {
        if (handler instanceof SnapStartFunction hooks) {
            policy.runAs(() -> {
                hooks.afterRestore(null);
                return null;
            });
        }
    }

    /** A new handler of this function, built as Lambda's on-demand init builds it, under the function's permissions. */
    RequestStreamHandler initialiseOnDemand() {
        Map<String, String> onDemand = new HashMap<>(environment);
        onDemand.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        return policy.runAs(() -> instantiate(name, handlerClass, onDemand));
    }

    /**
     * Invokes the handler with one event, as Lambda's runtime does, and returns what it wrote. An invocation that
     * outlives the function's {@code Timeout} fails as Lambda's does ({@link TimedOut}), so a slow path shows here
     * before it does in AWS; its thread is interrupted and left to end, since a JVM cannot stop it.
     */
    byte[] invoke(byte[] event) {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        // The caller's kind of thread: the API serves on virtual threads, the triggers poll on platform ones.
        Thread.Builder builder = Thread.currentThread().isVirtual() ? Thread.ofVirtual() : Thread.ofPlatform().daemon();
        Thread invocation = builder.name("local " + name).start(() -> {
            try {
                answer.complete(policy.runAs(() -> handle(event)));
            } catch (Throwable failure) {
                answer.completeExceptionally(failure);
            }
        });
        try {
            return answer.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            invocation.interrupt();
            throw new TimedOut(name, timeoutSeconds);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException failure -> throw failure;
                // A function error to Lambda, as an exception is: the caller (a trigger, the API) handles it as one.
                case Error failure -> throw new Died(name, failure);
                default -> throw new IllegalStateException(e.getCause());
            }
        } catch (InterruptedException e) {
            invocation.interrupt();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted while invoked", e);
        }
    }

    private byte[] handle(byte[] event) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), output, new LocalContext(this));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return output.toByteArray();
    }

    /** An invocation that ended in an {@link Error} (a class that failed to load, say): a function error to Lambda. */
    static final class Died extends RuntimeException {
        Died(String function, Error cause) {
            super(function + " died: " + cause, cause);
        }
    }

    /** Lambda's end of an invocation past the function's {@code Timeout}: a function error, in Lambda's words. */
    static final class TimedOut extends RuntimeException {
        TimedOut(String function, int timeoutSeconds) {
            super(function + ": Task timed out after " + timeoutSeconds + ".00 seconds", null, false, false);
        }
    }
}
