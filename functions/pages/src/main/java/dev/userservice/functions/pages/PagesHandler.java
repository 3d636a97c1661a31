package dev.userservice.functions.pages;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.userservice.Services;
import dev.userservice.errors.ErrorCode;
import dev.userservice.http.Envelope;
import dev.userservice.http.HttpRequest;
import dev.userservice.json.Json;
import dev.userservice.logging.Log;
import dev.userservice.snapstart.SnapStartFunction;
import dev.userservice.snapstart.Wiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The pages for people, served by the API itself on its own origin: {@code GET /docs} (openapi.yaml rendered by
 * Swagger UI), the admin console {@code GET /admin}, their assets under {@code /docs/assets/} and
 * {@code /admin/assets/}, and {@code GET /openapi.yaml}. Every file comes from the
 * function's jar, where Maven put it; any other path is 404 {@code not_found}. Every answer carries the pages'
 * security headers ({@link #SECURITY_HEADERS}). Its files are not JSON, so it writes API Gateway's answer itself
 * instead of extending the envelope's {@code HttpFunction}.
 * <pre>
 * curl -i localhost:3000/docs
 * curl -i localhost:3000/admin
 * curl localhost:3000/openapi.yaml
 * </pre>
 */
public final class PagesHandler extends SnapStartFunction implements RequestStreamHandler {
    /**
     * Scripts and styles only from files of this origin (Swagger UI's initializer is {@code docs.js}, no inline
     * script), requests only to this origin (the document, "try it out" and the console's API calls), images from here or the data URIs of
     * Swagger UI's stylesheet, and never inside a frame.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    static final Map<String, String> SECURITY_HEADERS = securityHeaders();

    private final StaticSite site;

    public PagesHandler() {
        this(System.getenv());
    }

    public PagesHandler(Map<String, String> environment) {
        this(Services.of(environment), bundledSite());
    }

    PagesHandler(Wiring wiring, StaticSite site) {
        super(wiring);
        this.site = site;
    }

    /**
     * What this function serves: the docs page with Swagger UI's files and its own initializer, the admin console
     * (one script and one stylesheet, which call the API of this origin with the signed-in admin's tokens), and the
     * document.
     */
    static StaticSite bundledSite() {
        return StaticSite.load(PagesHandler.class,
                List.of(new StaticSite.Page("/docs", "pages/docs/index.html", List.of(
                                "pages/docs/swagger-ui/swagger-ui-bundle.js",
                                "pages/docs/swagger-ui/swagger-ui.css",
                                "pages/docs/swagger-ui/favicon-32x32.png",
                                "pages/docs/docs.js")),
                        new StaticSite.Page("/admin", "pages/admin/index.html", List.of(
                                "pages/admin/admin.js",
                                "pages/admin/admin.css"))),
                List.of(new StaticSite.Document("/openapi.yaml", "openapi.yaml")));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long started = System.nanoTime();
        Log.beginInvocation(context);
        try {
            HttpRequest request = HttpRequest.fromEvent(Json.parseObject(new String(input.readAllBytes(), StandardCharsets.UTF_8)));
            Map<String, Object> answer = answer(request);
            Json.write(answer, output);
            // The fields of every HTTP function's request line (operations.md), so the access log joins this one too.
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("request_id", request.requestId());
            fields.put("function", context == null ? "local" : context.getFunctionName());
            fields.put("route", request.routeKey());
            fields.put("method", request.method());
            fields.put("status", answer.get("statusCode"));
            fields.put("latency_ms", (System.nanoTime() - started) / 1_000_000.0);
            Log.info("request", fields);
        } finally {
            Log.endInvocation();
        }
    }

    /** API Gateway's answer (payload format 2.0) for one request. */
    Map<String, Object> answer(HttpRequest request) {
        Optional<StaticSite.StaticFile> found = request.method().equals("GET") ? site.file(request.path()) : Optional.empty();
        Map<String, String> headers = new LinkedHashMap<>(SECURITY_HEADERS);
        headers.put("X-Request-Id", request.requestId());
        if (found.isEmpty()) {
            headers.put("Content-Type", "application/json");
            headers.put("Cache-Control", "no-store");
            byte[] body = Json.writeBytes(Envelope.error(ErrorCode.NOT_FOUND, ErrorCode.NOT_FOUND.defaultMessage(), List.of()));
            return event(ErrorCode.NOT_FOUND.status(), headers, body, false);
        }
        StaticSite.StaticFile file = found.get();
        boolean gzip = file.gzipped() != null && request.header("accept-encoding").map(PagesHandler::acceptsGzip).orElse(false);
        // A strong tag names one representation (RFC 9110 §8.8.3): the compressed body has a tag of its own, so a
        // cache cannot revalidate it for a client that takes no gzip.
        String etag = gzip ? file.etag().replaceFirst("\"$", "-gzip\"") : file.etag();
        headers.put("Cache-Control", file.cacheControl());
        headers.put("ETag", etag);
        headers.put("Vary", "Accept-Encoding");
        if (request.header("if-none-match").filter(tags -> matchesAny(tags, etag)).isPresent()) {
            return event(304, headers, new byte[0], false);
        }
        headers.put("Content-Type", file.contentType());
        if (gzip) {
            headers.put("Content-Encoding", "gzip");
        }
        return event(200, headers, gzip ? file.gzipped() : file.body(), gzip || !file.contentType().contains("charset"));
    }

    /**
     * Whether an {@code If-None-Match} value names {@code etag}: by the weak comparison the header calls for (RFC 9110
     * §13.1.2: a {@code W/} tag matches its strong twin, as intermediaries weaken tags), or {@code *}.
     */
    static boolean matchesAny(String ifNoneMatch, String etag) {
        return List.of(ifNoneMatch.split("\\s*,\\s*")).stream()
                .map(tag -> tag.strip().replaceFirst("^W/", ""))
                .anyMatch(tag -> tag.equals("*") || tag.equals(etag));
    }

    /**
     * Whether an {@code Accept-Encoding} value accepts gzip (RFC 9110 §12.5.3): its {@code gzip} entry, or else its
     * {@code *} entry, with a weight other than {@code q=0}. {@code gzip;q=0} refuses it, whatever {@code *} says.
     */
    static boolean acceptsGzip(String acceptEncoding) {
        Boolean gzip = null;
        Boolean any = null;
        for (String entry : acceptEncoding.split(",")) {
            String[] parts = entry.split(";", -1); // -1: an entry of separators alone still has a first part
            String coding = parts[0].strip().toLowerCase(Locale.ROOT);
            boolean accepted = true;
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].strip().toLowerCase(Locale.ROOT).matches("q=0(\\.0{0,3})?")) {
                    accepted = false;
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                gzip = accepted;
            } else if (coding.equals("*")) {
                any = accepted;
            }
        }
        return gzip != null ? gzip : any != null && any;
    }

    private static Map<String, Object> event(int status, Map<String, String> headers, byte[] body, boolean binary) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("statusCode", status);
        event.put("headers", headers);
        event.put("body", binary ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8));
        event.put("isBase64Encoded", binary);
        return event;
    }

    private static Map<String, String> securityHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("Cross-Origin-Opener-Policy", "same-origin");
        headers.put("Cross-Origin-Resource-Policy", "same-origin");
        return Map.copyOf(headers);
    }

    /** The page's whole path once, answered from memory: nothing to open or to mend after a restore. */
    @Override
    protected void prime() {
        site.paths().forEach(path -> answer(new HttpRequest("GET", path, "GET " + path, Map.of("accept-encoding", "gzip"),
                Map.of(), Map.of(), new byte[0], "127.0.0.1", "snapstart-priming", null)));
    }
}
