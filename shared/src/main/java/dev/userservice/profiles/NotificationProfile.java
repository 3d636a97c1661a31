package dev.userservice.profiles;

import dev.userservice.devices.PushTarget;
import dev.userservice.json.JsonWritable;
import dev.userservice.preferences.Preferences;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The contract's notification profile, computed from its {@link ProfileInputs} at the moment of the request. Pure:
 * the same inputs, request and clock give the same answer.
 *
 * <p>Where several rules stop a channel, {@code reason} names the first that applies, in this order:
 * {@code channel_disabled} (the user's switch is off, or the account is disabled), {@code category_opt_out},
 * {@code email_bounced}, {@code email_unverified} (only when asked), {@code no_active_devices}, and last
 * {@code quiet_hours}, the only passing one: a pipeline may wait for {@code quiet_hours_end_at} exactly when nothing
 * else stands in the way. {@code priority=critical} skips the category and quiet-hours rules only;
 * {@code quiet_hours_active} and {@code quiet_hours_end_at} describe the user's quiet hours whatever the priority.
 *
 * <p>A disabled account answers {@code enabled: false}, {@code allowed_now: false}, reason {@code channel_disabled}
 * on both channels and no push tokens, whatever the priority.
 */
public record NotificationProfile(
        String userId,
        String email,
        boolean emailVerified,
        String name,
        String locale,
        String timezone,
        Optional<Instant> quietHoursEndAt,
        Channel emailChannel,
        Channel pushChannel,
        List<PushTarget> pushTokens,
        Map<String, Object> custom) implements JsonWritable {

    public NotificationProfile {
        pushTokens = List.copyOf(pushTokens);
        custom = Map.copyOf(custom);
    }

    /** One channel's answer: whether the user has it on, and the first rule that stops it now, if any. */
    public record Channel(boolean enabled, Optional<Reason> blocked) {
        public boolean allowedNow() {
            return blocked.isEmpty();
        }

        Map<String, Object> toJson() {
            Map<String, Object> channel = new LinkedHashMap<>();
            channel.put("enabled", enabled);
            channel.put("allowed_now", allowedNow());
            blocked.ifPresent(reason -> channel.put("reason", reason.code()));
            return channel;
        }
    }

    public static NotificationProfile of(ProfileInputs inputs, ProfileRequest request, Clock clock) {
        Preferences preferences = inputs.preferences();
        Optional<Instant> quietUntil = QuietHours.of(preferences.quietHoursStart(), preferences.quietHoursEnd())
                .flatMap(quiet -> quietUntil(quiet, inputs, clock));
        boolean critical = request.priority() == Priority.CRITICAL;
        boolean quietApplies = quietUntil.isPresent() && !critical;
        Optional<Preferences.CategoryChoice> category = critical ? Optional.empty()
                : request.category().map(name -> preferences.categories().get(name));

        boolean emailEnabled = inputs.active() && preferences.email();
        Optional<Reason> emailBlocked = firstOf(
                !emailEnabled ? Reason.CHANNEL_DISABLED : null,
                category.isPresent() && !category.get().email() ? Reason.CATEGORY_OPT_OUT : null,
                inputs.emailBounced() ? Reason.EMAIL_BOUNCED : null,
                request.requireVerified() && !inputs.emailVerified() ? Reason.EMAIL_UNVERIFIED : null,
                quietApplies ? Reason.QUIET_HOURS : null);

        boolean pushEnabled = inputs.active() && preferences.push();
        List<PushTarget> tokens = inputs.active() ? inputs.reachableDevices() : List.of();
        Optional<Reason> pushBlocked = firstOf(
                !pushEnabled ? Reason.CHANNEL_DISABLED : null,
                category.isPresent() && !category.get().push() ? Reason.CATEGORY_OPT_OUT : null,
                tokens.isEmpty() ? Reason.NO_ACTIVE_DEVICES : null,
                quietApplies ? Reason.QUIET_HOURS : null);

        return new NotificationProfile(inputs.userId(), inputs.email(), inputs.emailVerified(), inputs.name(),
                inputs.locale(), inputs.timezone(), quietUntil, new Channel(emailEnabled, emailBlocked),
                new Channel(pushEnabled, pushBlocked), tokens, preferences.custom());
    }

    public boolean quietHoursActive() {
        return quietHoursEndAt.isPresent();
    }

    /** The contract's representation; push tokens name only the token and its platform. */
    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> push = pushChannel.toJson();
        push.put("tokens", pushTokens.stream()
                .map(device -> Map.<String, Object>of("token", device.token(), "platform", device.platform()))
                .toList());
        Map<String, Object> channels = new LinkedHashMap<>();
        channels.put("email", emailChannel.toJson());
        channels.put("push", push);

        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("user_id", userId);
        profile.put("email", email);
        profile.put("email_verified", emailVerified);
        profile.put("name", name);
        profile.put("locale", locale);
        profile.put("timezone", timezone);
        profile.put("quiet_hours_active", quietHoursActive());
        profile.put("quiet_hours_end_at", quietHoursEndAt.orElse(null));
        profile.put("channels", channels);
        // The application's own preferences, for pipelines that choose content or recipients by them.
        profile.put("custom", new TreeMap<>(custom));
        return profile;
    }

    private static Optional<Reason> firstOf(Reason... reasons) {
        for (Reason reason : reasons) {
            if (reason != null) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }

    /** Through the zone's offset alone when the inputs carry one that holds, else through the zone's rules. */
    private static Optional<Instant> quietUntil(QuietHours quiet, ProfileInputs inputs, Clock clock) {
        Instant now = clock.instant();
        ZoneOffsetSpan offset = inputs.zoneOffset();
        return offset != null && offset.holdsAround(now)
                ? quiet.activeUntil(offset.offsetSeconds(), now)
                : quiet.activeUntil(inputs.zone(), now);
    }
}
