package dev.userservice.devices;

import dev.userservice.auth.Principal;
import dev.userservice.cache.Cache;
import dev.userservice.cache.CacheAside;
import dev.userservice.cache.CacheKeys;
import dev.userservice.concurrency.OptimisticRetry;
import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.validation.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A user's push devices: registering tokens (which may move a token from another user), listing, renaming,
 * (de)activating and deleting them. Each change is read, planned by {@link DeviceRules} and committed by the store,
 * and read and planned again when a concurrent change got in the way. Every change forgets the cached views of each
 * user it touched, so a notification profile never names a device that no longer receives pushes, and the device
 * list clients read ({@link #listView}, cache-aside) is never older than the last change.
 */
public final class DeviceService {
    public static final Duration LIST_CACHE_TTL = Duration.ofHours(1);
    /** The cached list is a JSON object, as every cached view is: the devices under this name. */
    private static final String CACHED_DEVICES = "devices";

    private final DeviceStore devices;
    private final DeviceSessions sessions;
    private final DeviceOwners owners;
    private final InactiveDeviceLimit inactiveLimit;
    private final CacheAside<List<Object>> listViews;
    private final Clock clock;

    public DeviceService(DeviceStore devices, DeviceSessions sessions, DeviceOwners owners, InactiveDeviceLimit inactiveLimit,
                         Cache cache, Clock clock) {
        this.devices = devices;
        this.sessions = sessions;
        this.owners = owners;
        this.inactiveLimit = inactiveLimit;
        this.listViews = new CacheAside<>(cache, clock, LIST_CACHE_TTL,
                cached -> List.copyOf((List<?>) Json.parseObject(cached).get(CACHED_DEVICES)),
                view -> Json.write(Map.of(CACHED_DEVICES, view)));
        this.clock = clock;
    }

    /** A registration's outcome: the device, and whether it is new (201) or the caller's own, updated (200). */
    public record Registered(Device device, boolean created) {}

    /** The user's devices, newest first. */
    public List<Device> list(String userId) {
        return devices.list(userId);
    }

    /**
     * The user's devices as {@code caller} lists them, each as {@link Device#toJson}, newest first, from the cache
     * when it has them: 404 for a user who does not exist.
     */
    public List<Object> listView(Principal caller, String userId) {
        if (!caller.isSignedInAs(userId)) {
            owners.requireExists(userId); // the caller's own account exists: its token was just checked
        }
        return listViews.read(CacheKeys.devices(userId), () -> list(userId).stream().<Object>map(Device::toJson).toList());
    }

    /** One device of the user; 404 for an unknown, malformed or another user's id alike. */
    public Device get(String userId, String deviceId) {
        if (!Text.isId(deviceId)) {
            throw notFound();
        }
        return devices.find(userId, deviceId).orElseThrow(DeviceService::notFound);
    }

    /**
     * Registers a token for {@code userId}. When the caller is that user, the device belongs to the caller's session
     * and is deactivated when the session ends; a service or an admin registering for the user names no session.
     */
    public Registered register(String userId, Principal caller, DeviceRegistration requested) {
        boolean ownSession = caller.isSignedInAs(userId);
        DeviceRules.Registration registered = retrying(() -> {
            if (!ownSession) {
                owners.requireExists(userId); // on every attempt: a commit refused because the account is gone is a 404
            }
            DeviceRegistration registration = ownSession ? requested.inSession(liveSession(caller)) : forService(userId, requested);
            DeviceRules.Registration planned = DevicePlanner.registration(devices, userId, registration, true, clock.instant(),
                    inactiveLimit);
            return committed(planned.plan(), planned);
        });
        return new Registered(registered.device(), registered.created());
    }

    /**
     * Applies {@code caller}'s change to the user's device; a deactivation is the user's request
     * ({@code user_request}) or, made by anyone else, an {@code admin}'s.
     */
    public Device update(Principal caller, String userId, String deviceId, DeviceUpdate change) {
        return update(userId, deviceId, change, caller.isSignedInAs(userId) ? DeactivationReason.USER_REQUEST : DeactivationReason.ADMIN);
    }

    /** Applies the change (400 when it sends back a read-only field changed) and answers the device as stored. */
    private Device update(String userId, String deviceId, DeviceUpdate change, DeactivationReason reason) {
        return retrying(() -> {
            // On every attempt: a deleted account's devices wait for the eraser and are no one's to change, and a
            // commit refused because the account went meanwhile is then a 404, not a retry.
            owners.requireExists(userId);
            Instant now = clock.instant();
            ActiveDevices active = devices.activeDevices(userId); // before the device, as DevicePlanner explains
            Device before = get(userId, deviceId);
            change.requireReadOnlyUnchanged(before);
            Optional<Device> changed = DeviceRules.changed(before, change, reason, now);
            if (changed.isEmpty()) {
                return Optional.of(before);
            }
            Device after = changed.get();
            if (after.active() && !before.active()) {
                requireReactivatable(before);
            }
            return committed(DeviceRules.update(before, after, active, now), after);
        });
    }

    /** Deletes one device of the user; 404 as {@link #get} does. */
    public void delete(String userId, String deviceId) {
        if (!Text.isId(deviceId)) {
            throw notFound();
        }
        retryingWhileTheAccountExists(userId, () -> {
            DevicePlan plan = DevicePlanner.deletion(devices, userId, deviceId, clock.instant()).orElseThrow(DeviceService::notFound);
            return committed(plan, deviceId);
        });
    }

    /** Deactivates every active device of the user at their request; how many there were. */
    public int deactivateAll(String userId) {
        return retryingWhileTheAccountExists(userId, () -> {
            DevicePlan plan = DeviceRules.deactivateAll(userId, devices.activeDevices(userId),
                    DeactivationReason.USER_REQUEST, clock.instant());
            return plan.deactivations().isEmpty() ? Optional.of(0) : committed(plan, plan.deactivations().size());
        });
    }

    /**
     * A service's (or an admin's) registration: the user's active device for the token keeps its session only while
     * that session lives.
     */
    private DeviceRegistration forService(String userId, DeviceRegistration requested) {
        return DevicePlanner.usersDevice(devices, userId, requested.token())
                .filter(device -> device.active() && device.sessionId() != null)
                .filter(device -> sessions.live(userId, device.sessionId()).isEmpty())
                .map(device -> requested.leaving(device.sessionId()))
                .orElse(requested);
    }

    /** The caller's session, read for when it began; 401 once it has ended, as for any request in it. */
    private DeviceRegistration.InSession liveSession(Principal caller) {
        return sessions.live(caller.subject(), caller.sessionId())
                .orElseThrow(() -> new ServiceException(ErrorCode.UNAUTHORIZED));
    }

    private void requireReactivatable(Device device) {
        boolean sessionEnded = device.sessionId() != null && sessions.live(device.userId(), device.sessionId()).isEmpty();
        DeviceRules.reactivationRefusal(device, devices.holderOf(device.token()), sessionEnded).ifPresent(refusal -> {
            throw ServiceException.validation("active", refusal);
        });
    }

    /** Commits the plan and answers {@code result}, once every user it touched has been forgotten; empty on a conflict. */
    private <T> Optional<T> committed(DevicePlan plan, T result) {
        if (!devices.commit(plan)) {
            return Optional.empty();
        }
        plan.changedUsers().forEach(owners::devicesChanged);
        return Optional.of(result);
    }

    /**
     * As {@link #retrying}, for a write whose plan requires the account, read on every attempt as {@link #update}
     * does: a commit refused because the account went meanwhile is then a 404, not planned again until the budget
     * runs out.
     */
    private <T> T retryingWhileTheAccountExists(String userId, Supplier<Optional<T>> write) {
        return retrying(() -> {
            owners.requireExists(userId);
            return write.get();
        });
    }

    /** Runs a write until it is stored, within the service's one retry budget. */
    private static <T> T retrying(Supplier<Optional<T>> write) {
        return OptimisticRetry.run(write, "Too many concurrent changes; try again");
    }

    private static ServiceException notFound() {
        return new ServiceException(ErrorCode.NOT_FOUND, "Device not found");
    }
}
