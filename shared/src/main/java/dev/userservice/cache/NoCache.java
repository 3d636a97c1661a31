package dev.userservice.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The cache of a deployment without one. */
enum NoCache implements Cache {
    INSTANCE;

    @Override
    public Optional<String> get(String key) {
        return Optional.empty();
    }

    @Override
    public List<Optional<String>> getAll(String... keys) {
        return java.util.Collections.nCopies(keys.length, Optional.empty());
    }

    @Override
    public void put(String key, String value, Duration ttl) {}

    @Override
    public void fill(String key, String value, Duration ttl, Instant readStartedAt) {}

    @Override
    public boolean delete(String... keys) {
        return true;
    }

    @Override
    public Optional<Long> increment(String key, Instant expiresAt) {
        return Optional.empty();
    }

    @Override
    public boolean takesWrites() {
        return false;
    }
}
