package dev.userservice.local;

import dev.userservice.json.Json;
import dev.userservice.secrets.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a running local service listens, as {@code .local/endpoints.json} tells scripts, tools and a later
 * {@code invoke}; and the environment that points a function at those servers. With {@code local/start} it also
 * names the admin console and the development admin's account.
 */
record Endpoints(URI api, URI dynamoDb, URI sqs, URI redis, Optional<Path> redisAuthority,
                 Optional<DevelopmentClient> serviceClient, Optional<DevelopmentAdmin> admin) {
    static final String FILE = "endpoints.json";
    /** DynamoDB Local and ElasticMQ accept any credentials; these only have to be present. */
    static final String ACCESS_KEY = "local";
    static final String SECRET_KEY = "local";

    void write(Path file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("api", api.toString());
        json.put("dynamodb", dynamoDb.toString());
        json.put("sqs", sqs.toString());
        json.put("redis", redis.toString());
        redisAuthority.ifPresent(authority -> json.put("redis_ca_cert", authority.toString()));
        serviceClient.ifPresent(client -> json.put("service_client", client.toJson()));
        admin.ifPresent(account -> {
            json.put("admin_console", api.resolve("/admin").toString());
            json.put("admin_account", account.toJson());
        });
        PrivateFiles.write(file, Json.write(json) + "\n"); // it names the development client's secret and the admin's password
    }

    Endpoints withAdmin(DevelopmentAdmin account) {
        return new Endpoints(api, dynamoDb, sqs, redis, redisAuthority, serviceClient, Optional.of(account));
    }

    static Optional<Endpoints> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Map<String, Object> json = Json.parseObject(Files.readString(file));
            return Optional.of(new Endpoints(URI.create((String) json.get("api")), URI.create((String) json.get("dynamodb")),
                    URI.create((String) json.get("sqs")), URI.create((String) json.get("redis")),
                    Optional.ofNullable((String) json.get("redis_ca_cert")).map(Path::of), Optional.empty(), Optional.empty()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The variables that point a function at these servers, as {@code events/env.json} does for sam local. */
    Map<String, String> functionEnvironment(String functionName) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_REGION", LocalServers.REGION);
        environment.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        environment.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        environment.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        environment.put("DYNAMODB_ENDPOINT", dynamoDb.toString());
        environment.put("SQS_ENDPOINT", sqs.toString());
        environment.put("REDIS_URL", redis.toString());
        redisAuthority.ifPresent(authority -> environment.put("REDIS_CA_CERT", authority.toAbsolutePath().toString()));
        environment.put("PUBLIC_BASE_URL", api.toString());
        return environment;
    }
}
