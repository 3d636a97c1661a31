package dev.userservice.http;

import java.time.Instant;

/** Where retried writes are remembered: one record per caller, route and {@code Idempotency-Key}. */
public interface IdempotencyStore {

    /** The outcome of claiming a key: this request may proceed, or an earlier request holds it. */
    sealed interface Claim {}

    record Claimed() implements Claim {}

    /** An earlier request's record; {@code response} is null while it is still in progress. */
    record Existing(String fingerprint, byte[] response) implements Claim {}

    /**
     * Claims {@code id} for a request with this fingerprint until {@code leaseUntil}, atomically: a record whose
     * lease ran out without completing (its function died) may be claimed again.
     */
    Claim claim(String id, String fingerprint, Instant now, Instant leaseUntil, Instant expiresAt);

    void complete(String id, byte[] response);

    /** Forgets a claim whose request failed on our side, so the client's retry can run. */
    void release(String id);
}
