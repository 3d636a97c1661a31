package dev.userservice.snapstart;

import java.util.concurrent.Callable;

/**
 * Whether the current thread is priming its function for a SnapStart snapshot. Priming runs a request path for
 * real but must leave nothing behind, so the few places that would write where a refused request still writes (a
 * cache marker) ask this and skip the write. A thread's own flag: the local runner may serve requests on other
 * threads meanwhile.
 */
public final class Priming {
    private static final ThreadLocal<Boolean> ACTIVE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Priming() {}

    public static boolean active() {
        return ACTIVE.get();
    }

    /**
     * {@code work}, to be run on another thread, priming there too when the thread handing it over is: a flag of its
     * own, not one every thread started meanwhile inherits, since such a thread may serve requests afterwards.
     */
    public static <T> Callable<T> carried(Callable<T> work) {
        if (!active()) {
            return work;
        }
        return () -> {
            ACTIVE.set(Boolean.TRUE);
            try {
                return work.call();
            } finally {
                ACTIVE.remove();
            }
        };
    }

    static void run(Runnable work) {
        ACTIVE.set(Boolean.TRUE);
        try {
            work.run();
        } finally {
            ACTIVE.remove();
        }
    }
}
