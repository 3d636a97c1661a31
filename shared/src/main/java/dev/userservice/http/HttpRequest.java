package dev.userservice.http;

import dev.userservice.auth.Principal;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One HTTP request as API Gateway's HTTP API delivers it (payload format 2.0), reduced to what handlers use.
 * Header names are lower-case. The principal is set by the kernel once the caller is authenticated. The API's id
 * comes from API Gateway's request context, never from the client (unlike the {@code Host} header).
 */
public record HttpRequest(
        String method,
        String path,
        String routeKey,
        Map<String, String> headers,
        Map<String, String> query,
        Map<String, String> pathParameters,
        byte[] body,
        String sourceIp,
        String requestId,
        Principal principal,
        String apiId) {

    /** Bodies larger than this are refused before any other work. */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    /** A request whose API is not known (built by a test or a tool rather than read from API Gateway's event). */
    public HttpRequest(String method, String path, String routeKey, Map<String, String> headers, Map<String, String> query,
                       Map<String, String> pathParameters, byte[] body, String sourceIp, String requestId, Principal principal) {
        this(method, path, routeKey, headers, query, pathParameters, body, sourceIp, requestId, principal, "");
    }

    @SuppressWarnings("unchecked")
    public static HttpRequest fromEvent(Map<String, Object> event) {
        Map<String, Object> context = mapOrEmpty(event.get("requestContext"));
        Map<String, Object> http = mapOrEmpty(context.get("http"));
        Map<String, String> headers = new HashMap<>();
        mapOrEmpty(event.get("headers")).forEach((name, value) ->
                headers.put(name.toLowerCase(Locale.ROOT), String.valueOf(value)));
        String method = string(http.get("method"), "GET").toUpperCase(Locale.ROOT);
        String path = string(http.get("path"), string(event.get("rawPath"), "/"));
        byte[] body = decodeBody(event.get("body"), Boolean.TRUE.equals(event.get("isBase64Encoded")));
        String requestId = Optional.ofNullable(headers.get("x-request-id"))
                .filter(HttpRequest::isAcceptableRequestId)
                .orElseGet(() -> UUID.randomUUID().toString());
        return new HttpRequest(
                method,
                path,
                string(event.get("routeKey"), method + " " + path),
                Map.copyOf(headers),
                stringMap(event.get("queryStringParameters")),
                canonicalIds(stringMap(event.get("pathParameters"))),
                body,
                string(http.get("sourceIp"), "0.0.0.0"),
                requestId,
                null,
                string(context.get("apiId"), ""));
    }

    public HttpRequest withPrincipal(Principal authenticated) {
        return new HttpRequest(method, path, routeKey, headers, query, pathParameters, body, sourceIp, requestId, authenticated, apiId);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(query.get(name));
    }

    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new ServiceException(ErrorCode.NOT_FOUND);
        }
        return value;
    }

    /**
     * The user a SELF route acts on: the {@code {id}} of the path, or the caller on the {@code /me} form. An id that
     * is no user id is 404 here, whatever the route: a made-up id of any length never reaches the table (whose
     * keys have a size limit it would exceed).
     */
    public String targetUserId() {
        String id = pathParameters.get("id");
        if (id == null) {
            return principal.subject();
        }
        if (!Text.isId(id)) {
            throw new ServiceException(ErrorCode.NOT_FOUND, "User not found");
        }
        return id;
    }

    /** The token of an {@code Authorization: Bearer} header (the scheme's name in any case), if one is sent. */
    public Optional<String> bearerToken() {
        return header("authorization")
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).trim())
                .filter(token -> !token.isEmpty());
    }

    public String userAgent() {
        return header("user-agent").orElse("");
    }

    public boolean hasBody() {
        return body.length > 0;
    }

    /**
     * For a route that takes no fields: no body, or an empty JSON object. Anything in it is reported (400
     * {@code validation_failed}, a field at a time), not ignored, as a client sending {@code {"plan": "gold"}} to the
     * upgrade would otherwise take the answer for the plan it asked for.
     */
    public void requireNoFields() {
        Fields.of(hasBody() ? jsonObject() : Map.of()).validate();
    }

    /**
     * The body as a JSON object, after the media type is checked: 415 for a body that is not declared as JSON, or
     * as JSON in a charset other than UTF-8 (which it is read as), 400 {@code malformed_json} for one that does not
     * parse or is not an object.
     */
    public Map<String, Object> jsonObject() {
        // No body is a missing body, whatever its media type would have been.
        if (!hasBody()) {
            throw new ServiceException(ErrorCode.MALFORMED_JSON, "A JSON object body is required");
        }
        // -1: a value of separators alone (";") still has a first part, empty, which is no media type.
        String[] contentType = header("content-type").orElse("").toLowerCase(Locale.ROOT).split(";", -1);
        boolean utf8 = Arrays.stream(contentType).skip(1).map(String::trim)
                .filter(parameter -> parameter.startsWith("charset="))
                .allMatch(charset -> List.of("charset=utf-8", "charset=utf8").contains(charset.replace("\"", "")));
        if (!contentType[0].trim().equals("application/json") || !utf8) {
            throw new ServiceException(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        }
        Object parsed;
        try {
            parsed = Json.parse(body);
        } catch (Json.MalformedJsonException e) {
            throw new ServiceException(ErrorCode.MALFORMED_JSON);
        }
        if (!(parsed instanceof Map<?, ?> object)) {
            throw new ServiceException(ErrorCode.MALFORMED_JSON, "The request body must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) object;
        return typed;
    }

    private static boolean isAcceptableRequestId(String id) {
        return !id.isEmpty() && id.length() <= 128 && id.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    private static byte[] decodeBody(Object body, boolean base64) {
        if (!(body instanceof String text) || text.isEmpty()) {
            return new byte[0];
        }
        if (base64) {
            try {
                return Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                // Kept as it came, so reading it as JSON fails with a 400 instead of the event failing to parse.
                return text.getBytes(StandardCharsets.UTF_8);
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapOrEmpty(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static Map<String, String> stringMap(Object value) {
        Map<String, String> result = new HashMap<>();
        mapOrEmpty(value).forEach((name, item) -> result.put(name, String.valueOf(item)));
        return Map.copyOf(result);
    }

    /** A path's ids as the table holds them: every other source of an id (a token, a stored item) gives them so. */
    private static Map<String, String> canonicalIds(Map<String, String> parameters) {
        Map<String, String> canonical = new HashMap<>();
        parameters.forEach((name, value) -> canonical.put(name, Text.canonicalId(value)));
        return Map.copyOf(canonical);
    }

    private static String string(Object value, String fallback) {
        return value instanceof String text && !text.isEmpty() ? text : fallback;
    }

    /** Neither headers nor body, which hold the caller's token and the passwords and tokens of the requests that send them. */
    @Override
    public String toString() {
        return "HttpRequest[" + method + " " + path + ", route=" + routeKey + ", requestId=" + requestId + "]";
    }
}
