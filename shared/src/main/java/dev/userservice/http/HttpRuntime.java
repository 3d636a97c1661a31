package dev.userservice.http;

import dev.userservice.idempotency.Idempotency;
import java.util.function.Supplier;

/**
 * What the kernel needs from the container's wiring: who the caller is, and the replay store for retried writes.
 * The store is asked for only when a POST carries an Idempotency-Key, so a function that never gets one never
 * builds its DynamoDB client at start.
 */
public record HttpRuntime(String functionName, Authenticator authenticator, Supplier<Idempotency> idempotency) {}
