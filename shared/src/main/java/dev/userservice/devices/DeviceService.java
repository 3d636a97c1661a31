package dev.userservice.devices;

import dev.userservice.auth.Principal;
import dev.userservice.concurrency.Jitter;
import dev.userservice.errors.ServiceException;
import dev.userservice.errors.ErrorCode;
import dev.userservice.sessions.Session;
import dev.userservice.sessions.SessionStore;
import dev.userservice.users.UserService;
import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A user's push devices: registering tokens (which may move a token from another user), listing, renaming,
 * (de)activating and deleting them. Every change forgets the cached views of each user it touched, so a
 * notification profile never names a device that no longer receives pushes.
 */
public final class DeviceService {
    /** Device ids are UUIDs as {@code UUID.randomUUID()} writes them; anything else cannot name a device. */
    /**
     * A concurrent change of the same user's devices (or of the same token) makes a write start over; each round
     * lets at least one writer through, so this many covers a crowd registering one token at once.
     */
    private static final int WRITE_ATTEMPTS = 40;
    private static final Duration MAX_BACKOFF = Duration.ofMillis(50);

    private final DeviceStore devices;
    private final SessionStore sessions;
    private final UserService users;
    private final Clock clock;

    public DeviceService(DeviceStore devices, SessionStore sessions, UserService users, Clock clock) {
        this.devices = devices;
        this.sessions = sessions;
        this.users = users;
        this.clock = clock;
    }

    /** A registration's outcome: the device, and whether it is new (201) or the caller's own, updated (200). */
    public record Registered(Device device, boolean created) {}

    /** The user's devices, newest first. */
    public List<Device> list(String userId) {
        return devices.list(userId);
    }

    /** One device of the user; 404 for an unknown, malformed or another user's id alike. */
    public Device get(String userId, String deviceId) {
        if (!Text.isId(deviceId)) {
            throw notFound();
        }
        return devices.find(userId, deviceId).orElseThrow(DeviceService::notFound);
    }

    /**
     * Registers {@code {token, platform, active?, device_name?}} for {@code userId}. When the caller is that user,
     * the device belongs to the caller's session and is deactivated when the session ends; a service or an admin
     * registering for the user names no session.
     */
    public Registered register(String userId, Principal caller, Map<String, Object> body) {
        Fields fields = Fields.of(body);
        DeviceRegistration requested = DeviceRegistration.read(fields, null);
        fields.validate();
        boolean ownSession = caller.isUser() && caller.subject().equals(userId);
        if (!ownSession) {
            users.view(userId);
        }
        DeviceStore.Written written = retrying(() -> {
            DeviceRegistration registration = ownSession ? requested.inSession(liveSession(caller)) : requested;
            return devices.register(userId, registration, clock.instant());
        });
        written.changedUsers().forEach(users::forget);
        return new Registered(written.device(), written.created());
    }

    /** Applies {@code {active?, device_name?}} (a null name removes it) and answers the device as stored. */
    public Device update(String userId, String deviceId, Map<String, Object> body) {
        Fields fields = Fields.of(body);
        Optional<Boolean> active = fields.optionalBoolean("active");
        boolean renamed = fields.has("device_name");
        Optional<String> name = DeviceRegistration.deviceName(fields);
        fields.validate();
        return retrying(() -> {
            Instant now = clock.instant();
            Device before = get(userId, deviceId);
            Device after = before;
            if (renamed && !Objects.equals(name.orElse(null), before.deviceName())) {
                after = after.withName(name.orElse(null), now);
            }
            if (active.isPresent() && active.get() != before.active()) {
                if (active.get()) {
                    requireReactivatable(before);
                }
                after = active.get() ? after.reactivated(now) : after.deactivated(DeactivationReason.USER_REQUEST, now);
            }
            if (after == before) {
                return Optional.of(before);
            }
            return devices.update(before, after, now).map(this::forgetChanged);
        });
    }

    /** Deletes one device of the user; 404 as {@link #get} does. */
    public void delete(String userId, String deviceId) {
        retrying(() -> devices.delete(get(userId, deviceId), clock.instant()).map(this::forgetChanged));
    }

    /** Deactivates every active device of the user at their request; how many there were. */
    public int deactivateAll(String userId) {
        int deactivated = retrying(() -> devices.deactivateAll(userId, DeactivationReason.USER_REQUEST, clock.instant()));
        if (deactivated > 0) {
            users.forget(userId);
        }
        return deactivated;
    }

    /** The caller's session, read for when it began; 401 once it has ended, as for any request in it. */
    private DeviceRegistration.InSession liveSession(Principal caller) {
        Session session = sessions.find(caller.subject(), caller.sessionId(), true)
                .filter(found -> found.revokedAt() == null)
                .orElseThrow(() -> new ServiceException(ErrorCode.UNAUTHORIZED));
        return new DeviceRegistration.InSession(session.id(), session.createdAt());
    }

    /**
     * A deactivated device comes back only as it was: holding its token (which another user may have registered
     * since) and in a session that still lives. Otherwise the app must register the token again.
     */
    private void requireReactivatable(Device device) {
        if (!devices.holderOf(device.token()).equals(Optional.of(new DeviceStore.Holder(device.userId(), device.id())))) {
            throw reactivationRefused("its token is now registered to another account; register it again from the device");
        }
        boolean sessionEnded = device.sessionId() != null && sessions.find(device.userId(), device.sessionId(), true)
                .filter(session -> session.revokedAt() == null).isEmpty();
        if (sessionEnded) {
            throw reactivationRefused("the session it was registered in has ended; register it again from the device");
        }
    }

    private Device forgetChanged(DeviceStore.Written written) {
        written.changedUsers().forEach(users::forget);
        return written.device();
    }

    /** Runs a write until it is stored, backing off a random while between rounds so contenders spread out. */
    private static <T> T retrying(Supplier<Optional<T>> write) {
        for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
            Optional<T> stored = write.get();
            if (stored.isPresent()) {
                return stored.get();
            }
            if (attempt < WRITE_ATTEMPTS) {
                sleep(Jitter.millis(1, Math.min(MAX_BACKOFF.toMillis(), 5L * attempt) + 1));
            }
        }
        throw new ServiceException(ErrorCode.SERVICE_UNAVAILABLE, "Too many concurrent changes; try again");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(ErrorCode.SERVICE_UNAVAILABLE);
        }
    }

    private static ServiceException reactivationRefused(String message) {
        return ServiceException.validation("active", message);
    }

    private static ServiceException notFound() {
        return new ServiceException(ErrorCode.NOT_FOUND, "Device not found");
    }
}
