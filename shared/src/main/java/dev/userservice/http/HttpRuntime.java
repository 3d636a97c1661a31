package dev.userservice.http;

import dev.userservice.idempotency.Idempotency;

/** What the kernel needs from the container's wiring: who the caller is, and the replay store for retried writes. */
public record HttpRuntime(String functionName, Authenticator authenticator, Idempotency idempotency) {}
