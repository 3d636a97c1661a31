package dev.userservice.http;

import dev.userservice.snapstart.Wiring;
import java.util.function.Supplier;

/**
 * What the kernel needs from the container's wiring: who the caller is, the replay store for retried writes, and
 * what SnapStart's hooks use. The store is asked for only when a POST carries an Idempotency-Key, so a function
 * that never gets one never builds its DynamoDB client at start.
 */
public record HttpRuntime(String functionName, Authenticator authenticator, Supplier<Idempotency> idempotency,
                          Wiring snapStart) {}
