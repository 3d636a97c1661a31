package dev.userservice.health;

import java.time.Instant;

/**
 * Where the table stream's heartbeats are written ({@link dev.userservice.triggers.StreamHeartbeat}): a new item each
 * beat, so that each is an insert the stream carries to every consumer.
 */
public interface StreamHeartbeats {
    /** Writes the beat of {@code at}, which expires a day later. */
    void beat(Instant at);

    /** For priming: a beat's whole round trip, refused by the store, so nothing is written. */
    void prime();
}
