package dev.userservice.health;

import dev.userservice.auth.OpenIdConfiguration;
import dev.userservice.json.JsonWritable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the service is and where its documents are, answered at {@code GET /} and {@code GET /api/v1}. The links
 * start with the public address the discovery document uses ({@link OpenIdConfiguration#baseUrl}), taken from
 * configuration and never from the request's {@code Host} header, which any client can set.
 */
public final class ServiceInformation {
    /** The service's name, as clients and dashboards know it (also the default token audience). */
    public static final String NAME = "user-service";

    /** The service's name and version and the absolute links to its documents. */
    public record Description(String name, String version, Map<String, String> links) implements JsonWritable {
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", name);
            json.put("version", version);
            json.put("links", links);
            return json;
        }
    }

    private final String version;
    private final OpenIdConfiguration addresses;

    public ServiceInformation(String version, OpenIdConfiguration addresses) {
        this.version = version;
        this.addresses = addresses;
    }

    /** The description for a request that reached the API whose id API Gateway reports as {@code apiId}. */
    public Description describe(String apiId) {
        String base = addresses.baseUrl(apiId);
        Map<String, String> links = new LinkedHashMap<>();
        links.put("docs", base + "/docs");
        links.put("openapi", base + "/openapi.yaml");
        links.put("jwks", base + OpenIdConfiguration.JWKS_PATH);
        links.put("openid_configuration", base + "/.well-known/openid-configuration");
        links.put("health", base + "/health");
        return new Description(NAME, version, links);
    }
}
