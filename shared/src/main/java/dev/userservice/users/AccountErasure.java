package dev.userservice.users;

/**
 * Removes everything a deleted account leaves behind: sessions, preferences, devices, tokens, claims, queued
 * events. Idempotent, so the deletion request and the queued eraser may both run it, in any order, as
 * often as retries make them.
 */
public interface AccountErasure {
    void erase(String userId);
}
