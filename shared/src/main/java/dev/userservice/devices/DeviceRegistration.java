package dev.userservice.devices;

import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A request to register a push token for a user, checked: the token, its platform, the name the client gave
 * (null: none given, which keeps a re-registered device's name), whether it should receive pushes, and the session
 * it is registered in (null when a service or an admin registers it for the user), and, for such a registration, the
 * session of the user's device for the token that was found ended ({@code endedSession}, null for none), which the
 * device does not keep.
 */
public record DeviceRegistration(String token, String platform, String deviceName, boolean active, InSession session,
                                 String endedSession) {
    public static final int TOKEN_MAX_LENGTH = 4096;
    public static final int DEVICE_NAME_MAX_LENGTH = Text.NAME_MAX_LENGTH;
    public static final Set<String> PLATFORMS = Set.of("ios", "android", "web");

    /** The session a device belongs to: when it ends, the device stops receiving pushes. */
    public record InSession(String id, Instant createdAt) {}

    public DeviceRegistration(String token, String platform, String deviceName, boolean active, InSession session) {
        this(token, platform, deviceName, active, session, null);
    }

    /**
     * Reads {@code {token, platform, active?, device_name?}}, in no session yet (see {@link #inSession}); every
     * problem at once in one {@code validation_failed}.
     */
    public static DeviceRegistration read(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        String token = fields.required("token", TOKEN_MAX_LENGTH, DeviceRegistration::token);
        String platform = fields.required("platform", 16, DeviceRegistration::platform);
        boolean active = fields.optionalBoolean("active").orElse(true);
        String deviceName = deviceName(fields).orElse(null);
        fields.validate();
        return new DeviceRegistration(token, platform, deviceName, active, null);
    }

    /**
     * The device a registration body asks for with {@code push_token} and {@code platform} (each needs the other),
     * to be placed in the new account's first session with {@link #inSession}.
     */
    public static Optional<DeviceRegistration> readAtSignup(Fields fields) {
        boolean tokenGiven = fields.raw("push_token") != null;
        boolean platformGiven = fields.raw("platform") != null;
        Optional<String> token = fields.optional("push_token", TOKEN_MAX_LENGTH, DeviceRegistration::token);
        Optional<String> platform = fields.optional("platform", 16, DeviceRegistration::platform);
        if (tokenGiven && !platformGiven) {
            fields.reject("platform", "is required with push_token");
        }
        if (platformGiven && !tokenGiven) {
            fields.reject("push_token", "is required with platform");
        }
        return token.flatMap(value -> platform.map(kind -> new DeviceRegistration(value, kind, null, true, null)));
    }

    /** The same registration, made in {@code session}. */
    public DeviceRegistration inSession(InSession session) {
        return new DeviceRegistration(token, platform, deviceName, active, session);
    }

    /** The same registration by a service, for a device whose session {@code sessionId} has ended: it leaves it. */
    public DeviceRegistration leaving(String sessionId) {
        return new DeviceRegistration(token, platform, deviceName, active, session, sessionId);
    }

    public static Optional<String> deviceName(Fields fields) {
        return fields.optional("device_name", DEVICE_NAME_MAX_LENGTH, Text::name);
    }

    /**
     * A push token as the contract allows it: 1 to 4096 printable characters, kept exactly as given (a token that
     * is changed no longer reaches the device).
     */
    public static String token(String value) {
        if (value.codePoints().allMatch(Text::isSpace)) {
            throw new IllegalArgumentException("must not be blank");
        }
        if (value.codePoints().anyMatch(DeviceRegistration::isUnprintable)) {
            throw new IllegalArgumentException("must contain printable characters only");
        }
        return value;
    }

    public static String platform(String value) {
        if (!PLATFORMS.contains(value)) {
            throw new IllegalArgumentException("must be one of ios, android, web");
        }
        return value;
    }

    /**
     * The device this registration leaves the user with: {@code own} updated (the user already holds the token),
     * or a new device. Registering counts as seeing the device; a device registered inactive is so at the user's
     * request.
     */
    public Device applyTo(Optional<Device> own, String userId, Instant now) {
        String id = own.map(Device::id).orElseGet(() -> deviceId(userId, token));
        String name = deviceName != null ? deviceName : own.map(Device::deviceName).orElse(null);
        // A service's registration says nothing about the device's session: an active device keeps the one it has
        // while it lives; an inactive one, or one whose session ended, comes back in no session, as a service's new
        // device does, rather than in one that has ended (the profile skips such a device). A session the device
        // gained since it was found ended (the user registered it again meanwhile) is its own, and kept.
        Optional<Device> keptSession = session != null ? Optional.empty()
                : own.filter(Device::active).filter(device -> endedSession == null || !endedSession.equals(device.sessionId()));
        String sessionId = session != null ? session.id() : keptSession.map(Device::sessionId).orElse(null);
        Instant sessionCreatedAt = session != null ? session.createdAt() : keptSession.map(Device::sessionCreatedAt).orElse(null);
        return new Device(id, userId, token, platform, name, active, sessionId, sessionCreatedAt,
                own.map(Device::createdAt).orElse(now), now, now, active ? null : DeactivationReason.USER_REQUEST);
    }

    /**
     * The id of the user's device for a token, derived from both: a user has one device per token, found with one
     * read whoever holds the token now, and concurrent registrations of it create that device only once (a creation
     * is conditioned on the device not existing). A name-based UUID (version 8) from SHA-256, which reveals neither.
     */
    public static String deviceId(String userId, String token) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest((userId + "\n" + token).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        hash[6] = (byte) (hash[6] & 0x0f | 0x80);
        hash[8] = (byte) (hash[8] & 0x3f | 0x80);
        ByteBuffer bytes = ByteBuffer.wrap(hash);
        return new UUID(bytes.getLong(), bytes.getLong()).toString();
    }

    /** Controls, format characters, line and paragraph separators, surrogates, private-use and unassigned code points. */
    public static boolean isUnprintable(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE || type == Character.PRIVATE_USE;
    }
}
