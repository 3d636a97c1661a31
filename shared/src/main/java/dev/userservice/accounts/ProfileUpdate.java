package dev.userservice.accounts;

import dev.userservice.validation.Fields;
import dev.userservice.validation.ReadOnlyFields;
import dev.userservice.validation.Text;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A change of the signed-in user's extended profile: {@code {avatar_url?, bio?, title?, location?, links?,
 * visibility?}}. A PUT replaces them all (what is absent is cleared); a PATCH changes what is given (a null clears a
 * field). Both merge {@code visibility}. {@code name} and {@code attributes}
 * are the account's and change through {@code PATCH /users/me}; only their visibility is set here. The earlier FastAPI
 * service's {@code current_title} is read as {@code title}.
 *
 * @param readOnly what a client sent back of the profile as it read it ({@code user_id}, {@code name},
 *                 {@code attributes}, {@code updated_at}): accepted as stored, refused when it changed since, so two
 *                 clients replacing the profile they read cannot silently undo each other's change
 */
public record ProfileUpdate(Map<String, Optional<String>> texts, Optional<List<String>> links,
                            Map<String, Visibility> visibility, ReadOnlyFields readOnly) {
    private static final String[] READ_ONLY = {"user_id", "name", "attributes", "updated_at"};
    static final int URL_MAX_LENGTH = 2048;
    /** DNS's limits (RFC 1035): 63 octets a label, 253 characters a name written with dots. */
    private static final int MAX_LABEL_LENGTH = 63;
    private static final int MAX_HOST_NAME_LENGTH = 253;
    private static final Pattern NUMERIC_LABEL = Pattern.compile("^(0x[0-9a-f]*|[0-9]+)$");
    private static final List<String> LOCAL_NETWORK_SUFFIXES = List.of(".localhost", ".local", ".internal", ".home.arpa",
            ".lan", ".localdomain");
    static final int MAX_LINKS = 5;
    private static final Map<String, Integer> TEXT_FIELDS = Map.of("avatar_url", URL_MAX_LENGTH, "bio", 1000,
            "title", 100, "location", 100);

    /** Reads a PUT ({@code replace}) or a PATCH body; every bad field in one {@code validation_failed}. */
    public static ProfileUpdate read(Map<String, Object> body, boolean replace) {
        // current_title: the earlier FastAPI service's name for the title.
        Fields fields = Fields.of(body).synonym("title", "current_title");
        Map<String, Optional<String>> texts = new HashMap<>();
        TEXT_FIELDS.forEach((name, maxLength) -> {
            if (fields.has(name) || replace) {
                texts.put(name, name.equals("avatar_url")
                        ? fields.optional(name, maxLength, ProfileUpdate::httpsUrl).map(String::strip)
                        : text(fields, name, name));
            }
        });
        Optional<List<String>> links = fields.has("links") || replace ? Optional.of(links(fields)) : Optional.empty();
        Map<String, Visibility> visibility = new HashMap<>();
        fields.optionalObject("visibility").ifPresent(chosen -> chosen.names().forEach(field -> {
            if (!Profile.FIELDS.contains(field)) {
                chosen.reject(field, "is not a profile field (" + String.join(", ", Profile.FIELDS) + ")");
            } else {
                chosen.optional(field, 16, Visibility::parse).ifPresent(value -> visibility.put(field, value));
            }
        }));
        ReadOnlyFields readOnly = fields.readOnly(READ_ONLY);
        fields.validate();
        return new ProfileUpdate(Map.copyOf(texts), links, Map.copyOf(visibility), readOnly);
    }

    /**
     * The earlier FastAPI service's {@code current_title} and {@code location}, which its clients send with the
     * account's fields to {@code /users/me}: a PATCH of the extended profile's title and location, or empty when
     * neither is given.
     */
    public static Optional<ProfileUpdate> readEarlierAccountFields(Fields fields) {
        Map<String, Optional<String>> texts = new HashMap<>();
        for (Map.Entry<String, String> field : Map.of("current_title", "title", "location", "location").entrySet()) {
            if (fields.has(field.getKey())) {
                texts.put(field.getValue(), text(fields, field.getKey(), field.getValue()));
            }
        }
        return texts.isEmpty() ? Optional.empty() : Optional.of(new ProfileUpdate(Map.copyOf(texts), Optional.empty(), Map.of(),
                new ReadOnlyFields(Map.of())));
    }

    /** A text field sent as {@code sentAs}, stripped; blank or null clears it. */
    private static Optional<String> text(Fields fields, String sentAs, String name) {
        return fields.optional(sentAs, TEXT_FIELDS.get(name), value -> Text.shownText(value, name.equals("bio")))
                .map(String::strip).filter(value -> !value.isEmpty());
    }

    /** {@code current} with this change applied, stamped {@code at}. */
    Profile applyTo(Profile current, Instant at) {
        // A PUT too keeps the visibilities it does not name: an earlier service's client, which knows nothing of
        // them, must not widen who sees a field the owner made private by replacing its text.
        Map<String, Visibility> visibilities = new HashMap<>(current.visibility());
        visibilities.putAll(visibility);
        return new Profile(text("avatar_url", current.avatarUrl()), text("bio", current.bio()), text("title", current.title()),
                text("location", current.location()), links.orElse(current.links()), visibilities, at);
    }

    private String text(String name, String current) {
        Optional<String> given = texts.get(name);
        return given == null ? current : given.orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static List<String> links(Fields fields) {
        Object raw = fields.raw("links");
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> list) || list.size() > MAX_LINKS || !list.stream().allMatch(String.class::isInstance)) {
            fields.reject("links", "must be a list of at most " + MAX_LINKS + " https URLs");
            return List.of();
        }
        List<String> links = new ArrayList<>();
        for (String link : (List<String>) list) {
            try {
                links.add(httpsUrl(link));
            } catch (IllegalArgumentException e) {
                fields.reject("links", e.getMessage());
                return List.of();
            }
        }
        return List.copyOf(links);
    }

    /**
     * An absolute https URL of a named host, at most {@link #URL_MAX_LENGTH} characters; http and others are refused.
     * Other users' browsers and apps fetch it, so it names no machine of theirs (an IP address, {@code localhost},
     * a name without a dot, as on an intranet) and carries no credentials ({@code user:password@}, shown to them all,
     * or {@code https://bank.example@evil.example/}, which reads as another host).
     */
    static String httpsUrl(String text) {
        // As every other text field: a lone surrogate would be stored, and written back, as no character at all.
        if (!Text.isWellFormed(text)) {
            throw new IllegalArgumentException("must be valid Unicode text");
        }
        String url = text.strip();
        try {
            URI parsed = new URI(url);
            if (url.length() <= URL_MAX_LENGTH && "https".equalsIgnoreCase(parsed.getScheme()) && parsed.getRawUserInfo() == null
                    && parsed.getHost() != null && isPublicHostName(parsed.getHost()) && hasAUsablePort(parsed)) {
                return url;
            }
        } catch (URISyntaxException e) {
            // refused below, as any other URL that is not https
        }
        throw new IllegalArgumentException("must be an https URL of a host name, without credentials");
    }

    /**
     * A DNS name with a dot, not an IP address (browsers read a host whose last label is a number as IPv4), nor one
     * of the names that only a reader's own network answers: {@code localhost}, mDNS's {@code .local}, the reserved
     * {@code .internal} and {@code .home.arpa}, and the {@code .lan} and {@code .localdomain} home routers use.
     */
    private static boolean isPublicHostName(String host) {
        String lowered = host.toLowerCase(Locale.ROOT);
        String name = lowered.endsWith(".") ? lowered.substring(0, lowered.length() - 1) : lowered;
        String lastLabel = name.substring(name.lastIndexOf('.') + 1);
        return name.indexOf('.') > 0 && !name.startsWith("[") && !NUMERIC_LABEL.matcher(lastLabel).matches()
                && LOCAL_NETWORK_SUFFIXES.stream().noneMatch(name::endsWith)
                && name.length() <= MAX_HOST_NAME_LENGTH
                && Arrays.stream(name.split("\\.", -1)).allMatch(label -> !label.isEmpty() && label.length() <= MAX_LABEL_LENGTH);
    }

    /**
     * No port, or one a TCP connection can have (1 to 65535): {@link URI} takes any digits, and an empty one after the
     * colon, which no browser can load.
     */
    private static boolean hasAUsablePort(URI url) {
        return url.getPort() == -1 ? !url.getRawAuthority().endsWith(":") : url.getPort() >= 1 && url.getPort() <= 65_535;
    }
}
