package dev.userservice.users;

import java.time.Instant;

/**
 * Removes everything a deleted account leaves behind: sessions, preferences, devices, tokens, claims, queued
 * events. Idempotent, so the deletion request and the queued eraser may both run it, in any order, as
 * often as retries make them.
 */
public interface AccountErasure {
    /** Erases all of it, however long that takes. */
    default void erase(String userId) {
        eraseUntil(userId, Instant.MAX);
    }

    /**
     * Erases what it can before {@code deadline}, the account's own partition first, and answers whether it is all
     * gone: a deletion request stops there, so that an account with months of delivery statuses does not outlast the
     * request's timeout, and the queued eraser does the rest, within its own invocations' deadlines.
     */
    boolean eraseUntil(String userId, Instant deadline);
}
