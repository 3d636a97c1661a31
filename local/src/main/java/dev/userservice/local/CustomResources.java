package dev.userservice.local;

import com.sun.net.httpserver.HttpServer;
import dev.userservice.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The template's custom resources, created as CloudFormation creates them: the function their {@code ServiceToken}
 * names is invoked with a {@code Create} request, and answers by a PUT to the request's response URL, here a server on
 * loopback that lives for the one request. Their attributes ({@code Fn::GetAtt}) are what the answer's {@code Data}
 * holds. Each start of the runner creates them again; the handlers keep what an earlier run made, as on an update.
 */
final class CustomResources {
    private CustomResources() {}

    /** Each custom resource's attributes, by logical id; {@code function} loads a function of the template by its id. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, String>> create(Template template, Function<String, LocalFunction> function) {
        Map<String, Map<String, String>> attributes = new LinkedHashMap<>();
        template.resources().forEach((id, resource) -> {
            if (!String.valueOf(resource.get("Type")).startsWith("Custom::")) {
                return;
            }
            Object serviceToken = Template.properties(resource).get("ServiceToken");
            if (!(serviceToken instanceof Map<?, ?> getAtt) || !(getAtt.get("Fn::GetAtt") instanceof List<?> target)) {
                throw new IllegalStateException("local: custom resource " + id + " must name its function with Fn::GetAtt");
            }
            attributes.put(id, create(id, function.apply(String.valueOf(target.getFirst()))));
        });
        return attributes;
    }

    private static Map<String, String> create(String id, LocalFunction handler) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("RequestType", "Create");
        request.put("StackId", "arn:aws:cloudformation:" + LocalServers.REGION + ":" + LocalServers.ACCOUNT_ID + ":stack/local/local");
        request.put("RequestId", UUID.randomUUID().toString());
        request.put("ResourceType", "Custom::" + id);
        request.put("LogicalResourceId", id);
        request.put("ResourceProperties", Map.of());
        Map<String, Object> response = answer(request, handler::invoke);
        if (!"SUCCESS".equals(response.get("Status"))) {
            throw new IllegalStateException("local: custom resource " + id + " was not created: " + response.get("Reason"));
        }
        Map<String, String> data = new LinkedHashMap<>();
        if (response.get("Data") instanceof Map<?, ?> values) {
            values.forEach((name, value) -> data.put(String.valueOf(name), String.valueOf(value)));
        }
        return data;
    }

    /**
     * What a custom resource's function answers {@code request} with: its {@code ResponseURL} replaced by one on
     * loopback, the request handed to {@code invoke}, and the response PUT there read back.
     */
    static Map<String, Object> answer(Map<String, Object> request, Function<byte[], byte[]> invoke) {
        AtomicReference<Map<String, Object>> answer = new AtomicReference<>();
        HttpServer responses = responseServer(answer);
        try {
            Map<String, Object> withLocalUrl = new LinkedHashMap<>(request);
            withLocalUrl.put("ResponseURL", "http://localhost:" + responses.getAddress().getPort() + "/response");
            invoke.apply(Json.writeBytes(withLocalUrl));
        } finally {
            responses.stop(0);
        }
        if (answer.get() == null) {
            throw new IllegalStateException("local: custom resource " + request.get("LogicalResourceId") + " did not answer");
        }
        return answer.get();
    }

    private static HttpServer responseServer(AtomicReference<Map<String, Object>> answer) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
            server.createContext("/response", exchange -> {
                try (exchange) {
                    answer.set(Json.parseObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("local: cannot listen for custom resources' answers", e);
        }
    }
}
