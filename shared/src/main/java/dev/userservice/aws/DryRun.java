package dev.userservice.aws;

import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Calls an AWS client prepares in full (request built, marshalled, its endpoint resolved, signed) and then does not
 * send. SnapStart priming uses them to load and run an operation's request path before the snapshot, so that a
 * restored copy's first write does not load it then; since nothing is sent, such a call can change nothing and
 * needs no permission. Every client {@link AwsClients} builds carries this interceptor; a call is dry only when
 * its request asks for it ({@link #requested}).
 */
public final class DryRun implements ExecutionInterceptor {
    private static final ExecutionAttribute<Boolean> REQUESTED = new ExecutionAttribute<>("dev.userservice.DryRun");

    /** The override a request carries to be prepared and not sent. */
    public static final Consumer<AwsRequestOverrideConfiguration.Builder> requested =
            override -> override.putExecutionAttribute(REQUESTED, Boolean.TRUE);

    /** Thrown where the request would go on the wire; {@link #prepare} expects it. */
    static final class NotSent extends RuntimeException {
        NotSent() {
            super("dry run: prepared, not sent", null, false, false);
        }
    }

    /** Whether the call of these attributes is a dry run, which is never sent. */
    public static boolean isRequested(ExecutionAttributes attributes) {
        return Boolean.TRUE.equals(attributes.getAttribute(REQUESTED));
    }

    /** Makes {@code call}, whose request carries {@link #requested}; it ends before anything is sent. */
    public static void prepare(Runnable call) {
        try {
            call.run();
            throw new IllegalStateException("A dry run was sent: its request does not carry DryRun.requested");
        } catch (NotSent expected) {
            // prepared, as asked
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (isRequested(attributes)) {
            throw new NotSent();
        }
    }
}
