package dev.userservice.cache;

import java.time.Duration;
import java.util.Optional;

/** The cache of a deployment without one. */
enum NoCache implements Cache {
    INSTANCE;

    @Override
    public Optional<String> get(String key) {
        return Optional.empty();
    }

    @Override
    public void put(String key, String value, Duration ttl) {}

    @Override
    public void delete(String... keys) {}

    @Override
    public boolean ping() {
        return false;
    }
}
