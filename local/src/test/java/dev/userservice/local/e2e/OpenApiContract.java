package dev.userservice.local.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import dev.userservice.http.RouteTable;
import dev.userservice.local.LocalOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code openapi.yaml} as a checked contract: every request the end-to-end tests send through {@link Api} and every
 * answer they get is held to the operation it hits, so an undocumented route, status, header or field fails the test
 * that met it.
 *
 * <ul>
 *   <li>The operation is found by method and path as API Gateway routes them (the kernel's {@link RouteTable}: a
 *       literal route wins over a template, one trailing slash is dropped). A request no operation takes fails,
 *       unless the test aimed it at the {@code $default} route on purpose ({@link Api#toDefaultRoute()}); then it must
 *       be one no operation takes, and its answer is held to the root's {@code x-default-route} responses.</li>
 *   <li>The answer's status must be one of the operation's responses (or its {@code default}); its required headers
 *       must be present and valid; its body must be valid against that response's schema, and must hold no top-level
 *       member the schema does not name (the envelope's members are otherwise open only so the JWK set and the
 *       discovery document can carry theirs; nested objects are closed by the document itself).</li>
 *   <li>The request body, path and query parameters (an undocumented one fails) and documented request headers are
 *       held to the operation when the service accepted the request (a 2xx answer). A request the service refused
 *       is not checked: tests send bad input on purpose, and the refusal is held to the documented 4xx instead. A request the document forbids but the service accepts fails, as a too strict
 *       document or a too lax service.</li>
 *   <li>A CORS preflight is answered by API Gateway's CORS configuration, not by an operation, and is not checked.</li>
 * </ul>
 *
 * <p>Schemas are {@code openapi.yaml}'s own, validated by networknt's JSON Schema validator in the OpenAPI 3.1
 * dialect (JSON Schema 2020-12, formats asserted); this class only finds the schema an exchange answers to. The
 * document is read once per JVM and each schema built once, on first use. {@link ContractSummary} prints a one-line
 * summary (exchanges, request bodies, operations exercised) when the test JVM has run its tests.
 */
final class OpenApiContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String JSON_MEDIA_TYPE = "application/json";
    /** Where the closed wrappers of response schemas live in the in-memory copy of the document (never in the file). */
    private static final String CLOSED = "x-contract-closed";

    /** Whether a test aims a request at an operation, or on purpose at the {@code $default} route. */
    enum Aim { OPERATION, DEFAULT_ROUTE }

    /** One request as sent and its answer as received; the query and a body may be null. */
    record Exchange(Aim aim, String method, String rawPath, String rawQuery, Map<String, List<String>> requestHeaders,
            String requestBody, int status, Map<String, List<String>> responseHeaders, String responseBody) {}

    /** An operation of the document: its {@code operationId}, its object and that object's JSON Pointer. */
    private record Operation(String id, JsonNode node, String pointer) {}

    private final boolean reportOnly;
    private final ObjectNode document;
    private final JsonSchema root;
    private final RouteTable<Operation> routes;
    private final Set<String> operationIds = new TreeSet<>();
    private final Map<String, JsonSchema> schemaByPointer = new ConcurrentHashMap<>();
    private final AtomicLong exchanges = new AtomicLong();
    private final AtomicLong requestBodies = new AtomicLong();
    private final AtomicLong checkingNanos = new AtomicLong();
    private final Set<String> exercised = new ConcurrentSkipListSet<>();

    private static volatile OpenApiContract sharedInUse;

    /** The repository's {@code openapi.yaml}, read once per JVM. */
    static OpenApiContract shared() {
        return Shared.CONTRACT;
    }

    /** The shared contract's summary, once some test has used it. */
    static Optional<String> sharedSummary() {
        return Optional.ofNullable(sharedInUse).map(OpenApiContract::summary);
    }

    private static final class Shared {
        static final OpenApiContract CONTRACT = new OpenApiContract(
                LocalOptions.defaults().template().getParent().resolve("openapi.yaml"),
                "report".equals(System.getProperty("openapi.contract")));

        static {
            sharedInUse = CONTRACT;
        }
    }

    /** The contract of this document; {@code reportOnly} prints departures instead of failing on them. */
    OpenApiContract(Path file, boolean reportOnly) {
        this.reportOnly = reportOnly;
        try {
            // SnakeYAML, as TemplateContractTest reads YAML: it resolves the document's anchors and aliases (operations
            // share responses through them), which Jackson's YAML reader leaves empty.
            document = JSON.valueToTree(new Yaml().load(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<RouteTable.Route<Operation>> operations = new ArrayList<>();
        document.path("paths").properties().forEach(path -> METHODS.forEach(method -> {
            JsonNode operation = path.getValue().get(method);
            if (operation != null) {
                String pointer = "/paths/" + escape(path.getKey()) + "/" + method;
                String upperCaseMethod = method.toUpperCase(Locale.ROOT);
                String id = operation.path("operationId").asText(upperCaseMethod + " " + path.getKey());
                operationIds.add(id);
                operations.add(new RouteTable.Route<>(upperCaseMethod, path.getKey(), new Operation(id, operation, pointer)));
            }
        }));
        routes = new RouteTable<>(operations);
        document.putObject(CLOSED);
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder
                .metaSchema(OpenApi31.getInstance()).defaultMetaSchemaIri(OpenApi31.getInstance().getIri()));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true).pathType(PathType.JSON_POINTER).build();
        root = factory.getSchema(SchemaLocation.of(file.toUri().toString()), document, config);
    }

    /**
     * Fails with every way the exchange departs from the document. With {@code -Dopenapi.contract=report} it prints
     * them instead, so one run of the suite lists every departure at once.
     */
    void check(Exchange exchange) {
        List<String> violations = violations(exchange);
        if (!violations.isEmpty()) {
            AssertionError failure = new AssertionError("openapi.yaml contract: " + exchange.method() + " "
                    + exchange.rawPath() + " answered " + exchange.status() + "\n  " + String.join("\n  ", violations)
                    + "\n  response: " + exchange.responseBody());
            if (!reportOnly) {
                throw failure;
            }
            System.out.println("[openapi contract] " + failure.getMessage());
        }
    }

    /** Every way the exchange departs from the document; empty when it keeps to it. */
    List<String> violations(Exchange exchange) {
        if (isCorsPreflight(exchange)) {
            return List.of();
        }
        long start = System.nanoTime();
        try {
            return departures(exchange);
        } finally {
            exchanges.incrementAndGet();
            checkingNanos.addAndGet(System.nanoTime() - start);
        }
    }

    private List<String> departures(Exchange exchange) {
        List<String> violations = new ArrayList<>();
        RouteTable.Result<Operation> routed = routes.route(exchange.method(), exchange.rawPath());
        if (exchange.aim() == Aim.DEFAULT_ROUTE) {
            routed.match().ifPresentOrElse(
                    match -> violations.add("aimed at the $default route, but " + match.route().target().id() + " takes it"),
                    () -> {
                        exercised.add(RouteTable.DEFAULT_ROUTE);
                        checkResponse(document.path("x-default-route"), "/x-default-route", exchange, violations);
                    });
            return violations;
        }
        if (routed.match().isEmpty()) {
            violations.add("no operation of openapi.yaml is " + exchange.method() + " " + exchange.rawPath()
                    + (routed.allowedMethods().isEmpty() ? "" : " (the path has " + routed.allowedMethods() + ")")
                    + "; document it, or aim the request at the $default route with Api.toDefaultRoute()");
            return violations;
        }
        Operation operation = routed.match().get().route().target();
        exercised.add(operation.id());
        if (exchange.status() / 100 == 2) {
            checkParameters(operation, routed.match().get().pathParameters(), exchange, violations);
            checkRequest(operation, exchange, violations);
        }
        checkResponse(operation.node(), operation.pointer(), exchange, violations);
        return violations;
    }

    /** Exchanges and request bodies checked so far, the operations they reached of all the document's, and the time it took. */
    String summary() {
        Set<String> missing = new TreeSet<>(operationIds);
        missing.removeAll(exercised);
        return "openapi.yaml contract: " + exchanges.get() + " exchanges checked (" + requestBodies.get()
                + " request bodies validated), " + (operationIds.size() - missing.size()) + " of " + operationIds.size()
                + " operations exercised" + (exercised.contains(RouteTable.DEFAULT_ROUTE) ? " and the $default route" : "")
                + " in " + checkingNanos.get() / 1_000_000 + " ms; not exercised: " + missing;
    }

    private void checkRequest(Operation operation, Exchange exchange, List<String> violations) {
        boolean sent = exchange.requestBody() != null && !exchange.requestBody().isEmpty();
        if (!operation.node().has("requestBody")) {
            if (sent) {
                violations.add("the request has a body, which " + operation.id() + " does not document");
            }
            return;
        }
        Resolved requestBody = resolve(operation.node().get("requestBody"), operation.pointer() + "/requestBody");
        if (!sent) {
            if (requestBody.node().path("required").asBoolean(false)) {
                violations.add("the request has no body, which " + operation.id() + " requires");
            }
            return;
        }
        Optional<String> schema = mediaTypeSchema(requestBody, contentType(exchange.requestHeaders()));
        if (schema.isEmpty()) {
            violations.add("the request's Content-Type " + contentType(exchange.requestHeaders()) + " is not documented");
            return;
        }
        requestBodies.incrementAndGet();
        validate("request body", schema.get(), false, exchange.requestBody(), violations);
    }

    /**
     * The path parameters, the query parameters (an undocumented one fails) and the documented request headers, each
     * value read as its schema's type, since they arrive as text.
     */
    private void checkParameters(Operation operation, Map<String, String> pathParameters, Exchange exchange,
            List<String> violations) {
        Map<String, List<String>> query = queryParameters(exchange.rawQuery());
        Set<String> documentedQuery = new TreeSet<>();
        JsonNode parameters = operation.node().path("parameters");
        for (int i = 0; i < parameters.size(); i++) {
            Resolved parameter = resolve(parameters.get(i), operation.pointer() + "/parameters/" + i);
            String name = parameter.node().path("name").asText();
            String in = parameter.node().path("in").asText();
            List<String> values = switch (in) {
                case "path" -> Optional.ofNullable(pathParameters.get(name)).map(List::of).orElse(List.of());
                case "query" -> {
                    documentedQuery.add(name);
                    yield query.getOrDefault(name, List.of());
                }
                case "header" -> exchange.requestHeaders().entrySet().stream()
                        .filter(entry -> entry.getKey().equalsIgnoreCase(name)).flatMap(entry -> entry.getValue().stream()).toList();
                default -> List.of();
            };
            if (values.isEmpty() && parameter.node().path("required").asBoolean(false)) {
                violations.add("the required " + in + " parameter " + name + " is missing");
            }
            if (parameter.node().has("schema")) {
                for (String value : values) {
                    checkText(in + " parameter " + name, value, parameter, violations);
                }
            }
        }
        query.keySet().stream().filter(name -> !documentedQuery.contains(name)).forEach(name ->
                violations.add("the query parameter " + name + " is not documented for " + operation.id()));
    }

    private void checkResponse(JsonNode operation, String operationPointer, Exchange exchange, List<String> violations) {
        Optional<Map.Entry<String, JsonNode>> documented = responseFor(operation.path("responses"), exchange.status());
        if (documented.isEmpty()) {
            violations.add("status " + exchange.status() + " is not documented (documented: "
                    + iterable(operation.path("responses").fieldNames()) + ")");
            return;
        }
        Resolved response = resolve(documented.get().getValue(),
                operationPointer + "/responses/" + escape(documented.get().getKey()));
        response.node().path("headers").properties().forEach(header ->
                checkHeader(header.getKey(), resolve(header.getValue(), response.pointer() + "/headers/" + escape(header.getKey())),
                        exchange.responseHeaders(), violations));
        boolean sent = exchange.responseBody() != null && !exchange.responseBody().isEmpty();
        if (!response.node().has("content")) {
            if (sent) {
                violations.add("the response has a body, which the documented " + documented.get().getKey() + " has not");
            }
            return;
        }
        String contentType = contentType(exchange.responseHeaders());
        if (!isJson(contentType)) {
            // A page, a YAML document, a script or an image: held to its documented media type, not read as JSON.
            if (!response.node().path("content").has(mediaType(contentType))) {
                violations.add("the response's Content-Type " + contentType + " is not documented");
            }
            return;
        }
        Optional<String> schema = mediaTypeSchema(response, contentType);
        if (schema.isEmpty()) {
            violations.add("the response's Content-Type " + contentType + " is not documented");
        } else if (!sent) {
            violations.add("the response has no body, but the documented " + documented.get().getKey() + " has one");
        } else {
            validate("response body", schema.get(), true, exchange.responseBody(), violations);
        }
    }

    private void checkHeader(String name, Resolved header, Map<String, List<String>> headers, List<String> violations) {
        Optional<String> value = first(headers, name);
        if (value.isEmpty()) {
            if (header.node().path("required").asBoolean(false)) {
                violations.add("the required response header " + name + " is missing");
            }
            return;
        }
        if (header.node().has("schema")) {
            checkText("response header " + name, value.get(), header, violations);
        }
    }

    /** A header's or parameter's text against its schema: a number or boolean where the schema's type says so. */
    private void checkText(String what, String text, Resolved holder, List<String> violations) {
        String type = resolve(holder.node().get("schema"), holder.pointer() + "/schema").node().path("type").asText("");
        JsonNode node = JsonNodeFactory.instance.textNode(text);
        if (type.equals("integer") || type.equals("number") || type.equals("boolean")) {
            try {
                node = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                // left as text: the schema's type then says what is wrong with it
            }
        }
        for (ValidationMessage message : schema(holder.pointer() + "/schema", false).validate(node)) {
            violations.add(what + ": " + message.getMessage());
        }
    }

    private void validate(String what, String pointer, boolean closed, String text, List<String> violations) {
        JsonNode body;
        try {
            body = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            violations.add("the " + what + " is not JSON: " + e.getOriginalMessage());
            return;
        }
        Set<ValidationMessage> messages = schema(pointer, closed).validate(body);
        // Where the body fails its schema, the closure also reports every top-level member as unevaluated (a failed
        // subschema evaluates nothing): only noise beside the real cause.
        boolean failedItsSchema = messages.stream().anyMatch(message -> !isClosure(message));
        for (ValidationMessage message : messages) {
            if (!(failedItsSchema && isClosure(message))) {
                violations.add(what + " " + message.getInstanceLocation() + ": " + message.getMessage()
                        + " (schema " + message.getSchemaLocation() + ")");
            }
        }
    }

    /**
     * The schema at this pointer of the document, built once. A closed one also refuses top-level members the schema
     * does not evaluate ({@code unevaluatedProperties: false} around a {@code $ref} to it, kept in the in-memory copy
     * of the document so its references resolve there).
     */
    private JsonSchema schema(String pointer, boolean closed) {
        String key = (closed ? "closed:" : "") + pointer;
        JsonSchema found = schemaByPointer.get(key);
        if (found != null) {
            return found;
        }
        synchronized (this) {
            return schemaByPointer.computeIfAbsent(key, ignored -> {
                String target = pointer;
                // The validator finds no subschema at a pointer into an operation (an inline parameter's schema),
                // and a path's braces ({file}) cannot stand in a URI: a wrapper refers to it, percent-encoded as a
                // $ref's fragment must be.
                boolean inPaths = pointer.startsWith("/paths/");
                if (closed || inPaths) {
                    ObjectNode wrappers = (ObjectNode) document.get(CLOSED);
                    String name = String.valueOf(wrappers.size());
                    ObjectNode wrapper = wrappers.putObject(name).put("$ref", "#" + pointer.replace("{", "%7B").replace("}", "%7D"));
                    if (closed) {
                        wrapper.put("unevaluatedProperties", false);
                    }
                    target = "/" + CLOSED + "/" + name;
                }
                JsonSchema schema = root.getSubSchema(nodePath(target));
                schema.initializeValidators();
                return schema;
            });
        }
    }

    private static boolean isClosure(ValidationMessage message) {
        return message.getSchemaLocation().getFragment().toString().startsWith("/" + CLOSED + "/");
    }

    /** The media type of a Content-Type header, JSON when there is none. */
    private static String mediaType(String contentType) {
        return contentType == null ? JSON_MEDIA_TYPE : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isJson(String contentType) {
        String mediaType = mediaType(contentType);
        return mediaType.equals(JSON_MEDIA_TYPE) || mediaType.endsWith("+json");
    }

    private Optional<String> mediaTypeSchema(Resolved holder, String contentType) {
        String mediaType = mediaType(contentType);
        JsonNode media = holder.node().path("content").get(mediaType);
        if (media == null || !media.has("schema")) {
            return Optional.empty();
        }
        return Optional.of(holder.pointer() + "/content/" + escape(mediaType) + "/schema");
    }

    /** The documented response of this status: the exact code, else its range ({@code 4XX}), else {@code default}. */
    private static Optional<Map.Entry<String, JsonNode>> responseFor(JsonNode responses, int status) {
        for (String key : List.of(String.valueOf(status), (status / 100) + "XX", "default")) {
            if (responses.has(key)) {
                return Optional.of(Map.entry(key, responses.get(key)));
            }
        }
        return Optional.empty();
    }

    /** An object of the document and its pointer, after following its local {@code $ref}s (responses, request bodies, headers). */
    private record Resolved(JsonNode node, String pointer) {}

    private Resolved resolve(JsonNode node, String pointer) {
        JsonNode current = node;
        String at = pointer;
        for (int hops = 0; current.has("$ref") && hops < 10; hops++) {
            String reference = current.get("$ref").asText();
            if (!reference.startsWith("#/")) {
                throw new IllegalStateException("only local references are followed: " + reference + " at " + at);
            }
            at = reference.substring(1);
            current = document.at(at);
            if (current.isMissingNode()) {
                throw new IllegalStateException("openapi.yaml has nothing at " + reference);
            }
        }
        return new Resolved(current, at);
    }

    private static Map<String, List<String>> queryParameters(String rawQuery) {
        Map<String, List<String>> parameters = new java.util.LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.computeIfAbsent(name, ignored -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static boolean isCorsPreflight(Exchange exchange) {
        return exchange.method().equals("OPTIONS") && first(exchange.requestHeaders(), "Access-Control-Request-Method").isPresent();
    }

    private static String contentType(Map<String, List<String>> headers) {
        return first(headers, "Content-Type").orElse(null);
    }

    private static Optional<String> first(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty())
                .map(entry -> entry.getValue().getFirst())
                .findFirst();
    }

    /** A JSON Pointer's escaping of one reference token (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static JsonNodePath nodePath(String pointer) {
        JsonNodePath path = new JsonNodePath(PathType.JSON_POINTER);
        for (String token : pointer.substring(1).split("/", -1)) {
            path = path.append(token.replace("~1", "/").replace("~0", "~"));
        }
        return path;
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
