package dev.userservice.config;

import dev.userservice.auth.CursorSecrets;
import dev.userservice.json.Json;
import dev.userservice.ratelimit.RateLimits;
import dev.userservice.users.Plans;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting the service reads, typed and with its default, built from one environment map: the process
 * environment in Lambda, the function's template environment in the local runner. Nothing else reads the
 * environment.
 */
public record ServiceConfig(
        String tableName,
        Optional<String> userEventsQueueUrl,
        Optional<String> accountErasureQueueUrl,
        Optional<String> outboxFailuresQueueUrl,
        Optional<URI> redisUrl,
        Optional<Path> redisCaCertificate,
        String region,
        Optional<URI> dynamoDbEndpoint,
        Optional<URI> sqsEndpoint,
        Optional<URI> secretsManagerEndpoint,
        Optional<String> jwtKeysSecretArn,
        Optional<Path> jwtKeysFile,
        Optional<String> jwtKeys,
        Duration jwtKeysRefreshInterval,
        Optional<String> keySetAuthority,
        Optional<String> keySetAuthoritySecretArn,
        Optional<Path> keySetAuthorityFile,
        Optional<String> serviceClientsSecretArn,
        Optional<String> serviceClients,
        Optional<String> cursorSecretArn,
        Optional<String> cursorSecret,
        String jwtIssuer,
        String jwtAudience,
        Optional<String> publicBaseUrl,
        Duration accessTokenTtl,
        int bcryptCost,
        int passwordMinLength,
        Duration sessionIdleTimeout,
        Duration sessionMaxLifetime,
        int maxLiveSessions,
        int maxInactiveDevices,
        RateLimits rateLimits,
        String serviceVersion,
        String functionName,
        String accountTypes,
        Map<String, String> environment,
        Plans plans,
        boolean selfServiceUpgrade) {

    /**
     * Where the function runs, not what it holds: the inline keys, the service clients, the cursor secret, the Redis
     * URL (which may carry a password) and the environment they come from are left out, so a configuration printed by
     * mistake leaks none.
     */
    @Override
    public String toString() {
        return "ServiceConfig[function=" + functionName + ", version=" + serviceVersion + ", table=" + tableName
                + ", region=" + region + ", issuer=" + jwtIssuer + "]";
    }

    /** The template's {@code AccountTypes} default: the first is the type of a self-registered account. */
    public static final String DEFAULT_ACCOUNT_TYPES = "member,student,staff";

    public static ServiceConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static ServiceConfig from(Map<String, String> env) {
        Reader read = new Reader(env);
        int sessionIdleDays = read.integer("SESSION_IDLE_DAYS", 7, 1, 365);
        int sessionMaxDays = read.integer("SESSION_MAX_DAYS", 30, 1, 365);
        if (sessionIdleDays > sessionMaxDays) {
            throw new IllegalStateException("Configuration SESSION_IDLE_DAYS must not be more than SESSION_MAX_DAYS ("
                    + sessionMaxDays + "): a session would never stay idle that long");
        }
        return new ServiceConfig(
                read.required("TABLE_NAME"),
                read.optional("USER_EVENTS_QUEUE_URL"),
                read.optional("ACCOUNT_ERASURE_QUEUE_URL"),
                read.optional("OUTBOX_FAILURES_QUEUE_URL"),
                read.optional("REDIS_URL").map(value -> url("REDIS_URL", value, "redis", "rediss")),
                read.optional("REDIS_CA_CERT").map(Path::of),
                read.optional("AWS_REGION").orElse("us-east-1"),
                read.optional("DYNAMODB_ENDPOINT").map(value -> url("DYNAMODB_ENDPOINT", value, "http", "https")),
                read.optional("SQS_ENDPOINT").map(value -> url("SQS_ENDPOINT", value, "http", "https")),
                read.optional("SECRETS_MANAGER_ENDPOINT").map(value -> url("SECRETS_MANAGER_ENDPOINT", value, "http", "https")),
                read.optional("JWT_KEYS_SECRET_ARN"),
                read.optional("JWT_KEYS_FILE").map(Path::of),
                read.optional("JWT_KEYS").map(value -> jsonObject("JWT_KEYS", value)),
                Duration.ofSeconds(read.integer("JWT_KEYS_REFRESH_SECONDS", 300, 1, 3600)),
                read.optional("KEY_SET_AUTHORITY").map(value -> jsonObject("KEY_SET_AUTHORITY", value)),
                read.optional("KEY_SET_AUTHORITY_SECRET_ARN"),
                read.optional("KEY_SET_AUTHORITY_FILE").map(Path::of),
                read.optional("SERVICE_CLIENTS_SECRET_ARN"),
                read.optional("SERVICE_CLIENTS").map(value -> jsonObject("SERVICE_CLIENTS", value)),
                read.optional("CURSOR_SECRET_ARN"),
                read.optional("CURSOR_SECRET").map(ServiceConfig::cursorSecret),
                read.optional("JWT_ISSUER").orElse("urn:user-service"),
                read.optional("JWT_AUDIENCE").orElse("user-service"),
                read.optional("PUBLIC_BASE_URL").map(ServiceConfig::baseUrl),
                Duration.ofSeconds(read.integer("ACCESS_TOKEN_TTL_SECONDS", 900, 60, 3600)),
                read.integer("BCRYPT_COST", 11, 4, 16),
                read.integer("PASSWORD_MIN_LENGTH", 8, 8, 64),
                Duration.ofDays(sessionIdleDays),
                Duration.ofDays(sessionMaxDays),
                read.integer("MAX_LIVE_SESSIONS", 20, 1, 100),
                read.integer("MAX_INACTIVE_DEVICES", 20, 1, 100),
                RateLimits.from(read.optional("RATE_LIMITS")),
                read.optional("SERVICE_VERSION").orElse("dev"),
                read.optional("AWS_LAMBDA_FUNCTION_NAME").orElse("local"),
                // The names are checked against the account-type rules when Services starts (users.AccountTypes).
                read.optional("ACCOUNT_TYPES").orElse(DEFAULT_ACCOUNT_TYPES),
                Map.copyOf(env),
                read.optional("PLANS").map(ServiceConfig::plans).orElse(Plans.DEFAULT),
                read.bool("SELF_SERVICE_UPGRADE", true));
    }

    private static Plans plans(String value) {
        try {
            return Plans.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Configuration PLANS: " + e.getMessage());
        }
    }

    /**
     * Whether this function holds the signing keys (a secret, a file or inline), as only those that sign tokens do;
     * every other one verifies with the published keys alone.
     */
    public boolean holdsSigningKeys() {
        return jwtKeysSecretArn.isPresent() || jwtKeysFile.isPresent() || jwtKeys.isPresent();
    }

    /**
     * Whether Lambda is initialising this execution environment for a SnapStart snapshot (its runtime says so in
     * {@code AWS_LAMBDA_INITIALIZATION_TYPE}), rather than for on-demand or provisioned use, or locally.
     */
    public boolean initialisingSnapshot() {
        return initialisationType("snap-start");
    }

    /** Whether Lambda is initialising this execution environment on demand: for a request or event waiting now. */
    public boolean initialisingOnDemand() {
        return initialisationType("on-demand");
    }

    private boolean initialisationType(String type) {
        return variable("AWS_LAMBDA_INITIALIZATION_TYPE").filter(type::equals).isPresent();
    }

    /** A variable of the environment this configuration was built from, for the few callers that need a raw one. */
    public Optional<String> variable(String name) {
        return Optional.ofNullable(environment.get(name)).filter(value -> !value.isBlank());
    }

    /**
     * A URL with one of {@code schemes} and a host. Neither message quotes the value: {@code REDIS_URL} may hold the
     * cache's password, and a message thrown while Lambda initialises the function goes to its log.
     */
    private static URI url(String name, String value, String... schemes) {
        URI url;
        try {
            url = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Configuration " + name + " is not a URL (percent-encode reserved characters)");
        }
        if (url.getScheme() == null || !List.of(schemes).contains(url.getScheme().toLowerCase(Locale.ROOT)) || url.getHost() == null
                || url.getRawFragment() != null) {
            throw new IllegalStateException("Configuration " + name + " must be a " + String.join(" or ", schemes)
                    + " URL with a host and no fragment (percent-encode reserved characters)");
        }
        return url;
    }

    /**
     * A document given inline, which is read only when first needed: one that is no JSON object would fail every
     * request then, with a 500, where it should stop the function as it starts. The message does not quote it: these
     * hold keys and client secrets' hashes.
     */
    private static String jsonObject(String name, String value) {
        try {
            Json.parseObject(value);
            return value;
        } catch (RuntimeException e) {
            throw new IllegalStateException("Configuration " + name + " is not a JSON object");
        }
    }

    /** Checked as it is given, like the documents above, not at the first listing's 500. */
    private static String cursorSecret(String value) {
        try {
            CursorSecrets.parse(value);
            return value;
        } catch (IllegalStateException e) {
            throw new IllegalStateException("Configuration CURSOR_SECRET: " + e.getMessage());
        }
    }

    /** An absolute http(s) URL with no query or fragment, without its trailing slash. */
    private static String baseUrl(String value) {
        URI url = url("PUBLIC_BASE_URL", value, "https", "http");
        // As discovery publishes it: its scheme written in lower case, as the URLs built from it compare.
        if (!url.getScheme().equals(url.getScheme().toLowerCase(Locale.ROOT)) || url.getRawQuery() != null) {
            throw new IllegalStateException("Configuration PUBLIC_BASE_URL must be an http(s) URL with a host and no query");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    private record Reader(Map<String, String> env) {
        String required(String name) {
            return optional(name).orElseThrow(() -> new IllegalStateException("Missing configuration: " + name));
        }

        Optional<String> optional(String name) {
            String value = env.get(name);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
        }

        boolean bool(String name, boolean defaultValue) {
            return optional(name).map(value -> switch (value) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalStateException("Configuration " + name + " must be true or false");
            }).orElse(defaultValue);
        }

        int integer(String name, int defaultValue, int min, int max) {
            int value;
            try {
                value = optional(name).map(Integer::parseInt).orElse(defaultValue);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("Configuration " + name + " is not a whole number");
            }
            if (value < min || value > max) {
                throw new IllegalStateException("Configuration " + name + " must be between " + min + " and " + max);
            }
            return value;
        }
    }
}
