package dev.userservice.concurrency;

import dev.userservice.logging.Log;
import dev.userservice.metrics.Metrics;
import java.util.Map;

/**
 * Work after a write has committed that only hastens what the write itself settled: revocations its session cutoff
 * already implies, forgetting cached views, an erasure the queued eraser finishes. Its failure must not answer the
 * request with an error: the change is stored, so the 503 would say something false, and a retry would meet the
 * change's own effects (the new password, the used token, the account gone) and be refused. It is logged as an error
 * and counted ({@code FollowUpFailuresAlarm}), so a cause that lasts is seen.
 */
public final class FollowUp {
    private FollowUp() {}

    public static void run(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            // An error, with its exception: a missing permission or a bug fails here as loudly as anywhere, only the
            // caller's answer does not say so.
            Log.error(what + " failed after the change was stored", Map.of(), e);
            Metrics.followUpFailed();
        }
    }
}
