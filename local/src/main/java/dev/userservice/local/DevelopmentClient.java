package dev.userservice.local;

import dev.userservice.auth.SecureTokens;
import dev.userservice.auth.ServiceClients;
import dev.userservice.json.Json;
import dev.userservice.secrets.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local runner's service client, so the service-token routes work on a laptop: made once and kept with the
 * data (readable by its owner only). Functions get only its hash, as they would from the deployment's secret;
 * developers find the secret in endpoints.json and in the start-up banner.
 */
record DevelopmentClient(String clientId, String clientSecret) {
    static final String FILE = "service-client.json";
    private static final String CLIENT_ID = "local-dev";

    static DevelopmentClient loadOrCreate(Path runtimeDir) {
        Path file = runtimeDir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                Map<String, Object> stored = Json.parseObject(Files.readString(file));
                return new DevelopmentClient((String) stored.get("client_id"), (String) stored.get("client_secret"));
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot read " + file + "; delete it to make a new development client", e);
        }
        DevelopmentClient client = new DevelopmentClient(CLIENT_ID, SecureTokens.newToken());
        PrivateFiles.write(file, Json.write(client.toJson()));
        return client;
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("client_id", clientId);
        json.put("client_secret", clientSecret);
        return json;
    }

    /** The clients document the functions read (SERVICE_CLIENTS), holding the secret's hash only. */
    String clientsDocument() {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("client_id", clientId);
        client.put("secret_sha256", ServiceClients.hashSecret(clientSecret));
        client.put("name", "local development client");
        return Json.write(Map.of("clients", List.of(client)));
    }
}
