package dev.userservice.local;

/**
 * Redis with TLS was asked for ({@link LocalOptions#withRedisTls}) and cannot run here: no TLS-capable redis-server
 * was found. The message says what to install.
 */
public final class RedisTlsUnavailable extends IllegalStateException {
    RedisTlsUnavailable(String reason) {
        super("Redis with TLS: " + reason + ". Install a redis-server built with TLS (Debian, Ubuntu: apt-get install "
                + "redis-server) or name one with --redis-server FILE; without TLS, leave --redis-tls out");
    }
}
