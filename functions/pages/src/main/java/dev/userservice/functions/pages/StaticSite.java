package dev.userservice.functions.pages;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * The files the pages function serves, read once from its jar, each under one exact path: nothing is looked up on
 * a file system, so no path can reach anything but these. A page (HTML) keeps its address and is revalidated on
 * every visit; its assets are served under a name that carries a hash of their content
 * ({@code /docs/assets/swagger-ui-bundle.1a2b3c4d5e6f.js}), so they are cached for a year and a deploy that changes
 * one changes its name. A page names its assets as {@code {{file name}}}, replaced by those addresses here.
 */
final class StaticSite {
    /** Hashed names change with their content: caches may keep them for good. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /**
     * Pages and documents keep their address: a cache asks again each time (a 304 when unchanged), so a page never
     * names assets that a deploy has replaced.
     */
    static final String REVALIDATE = "no-cache";

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "png", "image/png",
            "svg", "image/svg+xml",
            "yaml", "application/yaml; charset=utf-8",
            "txt", "text/plain; charset=utf-8");
    private static final int HASH_HEX_DIGITS = 12;

    /** One file as served: its bytes, gzipped bytes when that pays, and what the response says about it. */
    record StaticFile(String contentType, byte[] body, byte[] gzipped, String cacheControl, String etag) {}

    /** A page at {@code path}, its HTML at {@code resource}, and the resources of the assets it names. */
    record Page(String path, String resource, List<String> assets) {}

    /** A file served as it is under a fixed address, such as {@code /openapi.yaml}. */
    record Document(String path, String resource) {}

    private final Map<String, StaticFile> files;

    private StaticSite(Map<String, StaticFile> files) {
        this.files = Map.copyOf(files);
    }

    /** Reads the pages, their assets and the documents through {@code owner}'s class loader. */
    static StaticSite load(Class<?> owner, List<Page> pages, List<Document> documents) {
        Map<String, StaticFile> files = new LinkedHashMap<>();
        for (Page page : pages) {
            String html = new String(read(owner, page.resource()), StandardCharsets.UTF_8);
            for (String asset : page.assets()) {
                byte[] content = read(owner, asset);
                String hash = hash(content);
                String name = asset.substring(asset.lastIndexOf('/') + 1);
                int dot = name.lastIndexOf('.');
                String address = page.path() + "/assets/" + name.substring(0, dot) + "." + hash + name.substring(dot);
                files.put(address, file(extension(name), content, IMMUTABLE, hash));
                html = html.replace("{{" + name + "}}", address);
            }
            if (html.contains("{{")) {
                throw new IllegalStateException(page.resource() + " names an asset its page does not list: "
                        + html.substring(html.indexOf("{{"), html.indexOf("}}", html.indexOf("{{")) + 2));
            }
            byte[] content = html.getBytes(StandardCharsets.UTF_8);
            files.put(page.path(), file("html", content, REVALIDATE, hash(content)));
        }
        for (Document document : documents) {
            byte[] content = read(owner, document.resource());
            files.put(document.path(), file(extension(document.resource()), content, REVALIDATE, hash(content)));
        }
        return new StaticSite(files);
    }

    /** The file at exactly this path; a trailing slash is ignored, as API Gateway routes {@code /docs/} to {@code /docs}. */
    Optional<StaticFile> file(String path) {
        String exact = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return Optional.ofNullable(files.get(exact));
    }

    /** Every address served: priming answers each once. */
    List<String> paths() {
        return List.copyOf(files.keySet());
    }

    private static StaticFile file(String extension, byte[] content, String cacheControl, String hash) {
        String type = CONTENT_TYPES.get(extension);
        if (type == null) {
            throw new IllegalStateException("no content type known for ." + extension);
        }
        // Images are compressed already; text shrinks to a fifth (API Gateway's HTTP API does not compress).
        byte[] gzipped = type.startsWith("image/png") ? null : gzip(content);
        return new StaticFile(type, content, gzipped != null && gzipped.length < content.length ? gzipped : null,
                cacheControl, "\"" + hash + "\"");
    }

    private static String extension(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static byte[] read(Class<?> owner, String resource) {
        try (InputStream input = owner.getResourceAsStream("/" + resource)) {
            if (input == null) {
                throw new IllegalStateException(resource + " is missing from the function's jar");
            }
            return input.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)).substring(0, HASH_HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 3 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
