package dev.userservice.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Calls an AWS client prepares in full (request built, marshalled, its endpoint resolved, signed) and then does not
 * send. SnapStart priming uses them to load and run an operation's request path before the snapshot, so that a
 * restored copy's first write does not load it then; since nothing is sent, such a call can change nothing and
 * needs no permission. Every client {@link AwsClients} builds carries this interceptor; a call is dry when it is
 * made inside {@link #prepare}, so no call there can be sent by mistake.
 */
public final class DryRun implements ExecutionInterceptor {
    private static final ThreadLocal<Boolean> PREPARING = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** Marks the call itself, where it starts: the SDK may send it from another thread than its caller's. */
    private static final ExecutionAttribute<Boolean> DRY = new ExecutionAttribute<>("dev.userservice.DryRun");

    /** Thrown where the request would go on the wire; {@link #prepare} expects it. */
    private static final class NotSent extends RuntimeException {
        NotSent() {
            super("dry run: prepared, not sent", null, false, false);
        }
    }

    /** Makes {@code call}, one call of a client that carries this interceptor, up to the point of sending it. */
    public static void prepare(Runnable call) {
        PREPARING.set(Boolean.TRUE);
        try {
            call.run();
            throw new IllegalStateException("DryRun.prepare: no call reached the point of sending");
        } catch (NotSent expected) {
            // prepared, as asked
        } finally {
            PREPARING.remove();
        }
    }

    /** Whether this thread is inside {@link #prepare}: its calls are never sent. */
    public static boolean preparing() {
        return PREPARING.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (preparing()) {
            attributes.putAttribute(DRY, Boolean.TRUE);
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(DRY))) {
            throw new NotSent();
        }
    }
}
