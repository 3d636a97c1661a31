package dev.userservice.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The idempotency table in memory, with the DynamoDB store's rules: a key is free when absent, expired, or held by
 * an unfinished request whose lease ran out. Byte arrays go in and come out as copies, as they would through a
 * database, so a caller cannot change what is stored after the fact.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private record Entry(String fingerprint, byte[] response, Instant leaseUntil, Instant expiresAt) {}

    private final Map<String, Entry> entries = new HashMap<>();
    private boolean failNextCompletion;
    private boolean failNextRelease;

    /** How many records are kept. */
    public synchronized int size() {
        return entries.size();
    }

    /** The next {@link #complete} throws, as a throttled or timed-out write does, and stores nothing. */
    public synchronized void failNextCompletion() {
        failNextCompletion = true;
    }

    /** The next {@link #release} throws, as a throttled or timed-out delete does, and frees nothing. */
    public synchronized void failNextRelease() {
        failNextRelease = true;
    }

    @Override
    public synchronized Claim claim(String id, String fingerprint, Instant now, Instant leaseUntil, Instant expiresAt) {
        Entry entry = entries.get(id);
        boolean free = entry == null
                || !now.isBefore(entry.expiresAt())
                || (entry.response() == null && now.isAfter(entry.leaseUntil()));
        if (free) {
            entries.put(id, new Entry(fingerprint, null, leaseUntil, expiresAt));
            return new Claimed();
        }
        return new Existing(entry.fingerprint(), copy(entry.response()));
    }

    @Override
    public synchronized void complete(String id, byte[] response) {
        if (failNextCompletion) {
            failNextCompletion = false;
            throw new IllegalStateException("the table did not answer");
        }
        entries.computeIfPresent(id, (key, entry) -> new Entry(entry.fingerprint(), copy(response), null, entry.expiresAt()));
    }

    @Override
    public synchronized void release(String id) {
        if (failNextRelease) {
            failNextRelease = false;
            throw new IllegalStateException("the table did not answer");
        }
        entries.remove(id);
    }

    /** Every stored response as the database holds it, for tests that look at what was written. */
    public synchronized List<byte[]> storedResponses() {
        List<byte[]> responses = new ArrayList<>();
        entries.values().stream().map(Entry::response).filter(response -> response != null).map(InMemoryIdempotencyStore::copy).forEach(responses::add);
        return responses;
    }

    private static byte[] copy(byte[] bytes) {
        return bytes == null ? null : bytes.clone();
    }
}
