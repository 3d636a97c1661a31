package dev.userservice.local;

import java.time.Duration;

/**
 * A step repeated on a virtual thread until closed, the way the runner's event sources poll: each run of the step
 * says how long to wait before the next, and a step that throws is reported and tried again after a pause.
 */
final class BackgroundLoop implements AutoCloseable {
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);

    /** One round of work; answers the pause before the next. */
    @FunctionalInterface
    interface Step {
        Duration run() throws InterruptedException;
    }

    private final Thread thread;
    private volatile boolean running = true;

    BackgroundLoop(String name, Step step) {
        this.thread = Thread.ofVirtual().name(name).start(() -> loop(name, step));
    }

    private void loop(String name, Step step) {
        while (running) {
            Duration pause;
            try {
                pause = step.run();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                System.err.println("local: " + name + ": " + e);
                pause = AFTER_FAILURE;
            }
            if (!sleep(pause)) {
                return;
            }
        }
    }

    /** Sleeps; false when interrupted, which is how the loop is told to stop. */
    static boolean sleep(Duration pause) {
        if (pause.isZero()) {
            return true;
        }
        try {
            Thread.sleep(pause);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
