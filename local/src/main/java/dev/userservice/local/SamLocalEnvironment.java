package dev.userservice.local;

import dev.userservice.json.Json;
import dev.userservice.secrets.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code sam-env.json} beside the data: the {@code --env-vars} file for {@code sam local}, whose functions run in
 * containers. It points them at this runner's servers through {@code host.docker.internal} (on the ports actually
 * in use) and carries the development signing keys inline, since a container cannot read the key file. It holds
 * a private key, so it stays in the data directory, readable by its owner only, and never in the repository.
 */
final class SamLocalEnvironment {
    static final String FILE = "sam-env.json";
    /**
     * Set per function by Lambda itself, or meaningful only inside this process (sam local serves the API on an
     * address of its own; a container cannot read the key file or the CA file of {@code --redis-tls}, whose
     * certificate names localhost, not host.docker.internal: sam local takes the runner's Redis without TLS).
     */
    private static final Set<String> NOT_SHARED = Set.of("AWS_LAMBDA_FUNCTION_NAME", "JWT_KEYS_FILE", "KEY_SET_AUTHORITY_FILE", "PUBLIC_BASE_URL",
            "REDIS_CA_CERT");

    private SamLocalEnvironment() {}

    static void write(Path file, Iterable<LocalFunction> functions, Path signingKeys) {
        Map<String, Object> byFunction = new LinkedHashMap<>();
        try {
            String keys = Files.readString(signingKeys);
            for (LocalFunction function : functions) {
                Map<String, String> environment = new LinkedHashMap<>();
                function.environment().forEach((name, value) -> {
                    if (!NOT_SHARED.contains(name)) {
                        environment.put(name, value.replace("//localhost:", "//host.docker.internal:"));
                    }
                });
                if (function.environment().containsKey("JWT_KEYS_FILE")) {
                    environment.put("JWT_KEYS", keys);
                    // sam local would pass the secret's logical id here; the inline keys above are the ones to use.
                    environment.put("JWT_KEYS_SECRET_ARN", "");
                }
                environment.put("SERVICE_CLIENTS_SECRET_ARN", "");
                if (function.environment().containsKey("CURSOR_SECRET")) {
                    environment.put("CURSOR_SECRET_ARN", "");
                }
                byFunction.put(function.name(), environment);
            }
            PrivateFiles.write(file, Json.write(byFunction));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
