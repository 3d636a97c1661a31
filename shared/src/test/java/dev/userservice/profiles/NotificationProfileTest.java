package dev.userservice.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.userservice.devices.PushTarget;
import dev.userservice.json.Json;
import dev.userservice.preferences.Preferences.CategoryChoice;
import dev.userservice.preferences.Preferences;
import dev.userservice.sessions.SessionCutoff;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules of a profile's channels, on inputs as the store or the cache gives them, at a fixed time. */
class NotificationProfileTest {
    private static final Instant NOW = Instant.parse("2025-06-02T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final PushTarget PHONE = new PushTarget("d1", "phone-token", "ios", "s1", Instant.parse("2025-05-01T00:00:00Z"), NOW);
    private static final PushTarget BROWSER = new PushTarget("d2", "browser-token", "web", null, null, NOW);
    private static final Preferences EVERYTHING_ON = new Preferences(true, true, null, null, Map.of(), Instant.EPOCH);

    private static ProfileInputs inputs(Preferences preferences, List<PushTarget> devices) {
        return new ProfileInputs("5f0c2f4e-8a51-4a57-9d8e-3b1f6a0c9e21", "a@example.com", "Alice", "de", "Europe/Berlin",
                true, true, false, null, preferences, devices, null);
    }

    private static ProfileInputs withAccount(ProfileInputs inputs, boolean active, boolean verified, boolean bounced, SessionCutoff cutoff) {
        return new ProfileInputs(inputs.userId(), inputs.email(), inputs.name(), inputs.locale(), inputs.timezone(),
                active, verified, bounced, cutoff, inputs.preferences(), inputs.devices(), inputs.zoneOffset());
    }

    private static ProfileRequest request(String category, Priority priority, boolean requireVerified) {
        return new ProfileRequest(Optional.ofNullable(category), priority, requireVerified);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> channel(Map<String, Object> profile, String name) {
        return ((Map<String, Map<String, Object>>) profile.get("channels")).get(name);
    }

    private static Object reason(Map<String, Object> profile, String channel) {
        return channel(profile, channel).get("reason");
    }

    @Test
    void aUserWithEverythingOnIsReachableOnBothChannels() {
        Map<String, Object> profile = NotificationProfile.of(inputs(EVERYTHING_ON, List.of(PHONE, BROWSER)), ProfileRequest.DEFAULT, CLOCK).toJson();

        assertEquals(List.of("user_id", "email", "email_verified", "name", "locale", "timezone", "quiet_hours_active",
                "quiet_hours_end_at", "channels", "custom"), List.copyOf(profile.keySet()));
        assertEquals(Map.of("enabled", true, "allowed_now", true), channel(profile, "email"));
        assertEquals(Map.of("enabled", true, "allowed_now", true, "tokens", List.of(
                Map.of("token", "phone-token", "platform", "ios"), Map.of("token", "browser-token", "platform", "web"))),
                channel(profile, "push"));
    }

    @Test
    void aChannelSwitchedOffIsDisabledWhateverThePriority() {
        Preferences noPush = new Preferences(true, false, null, null, Map.of(), Instant.EPOCH);
        for (Priority priority : Priority.values()) {
            Map<String, Object> profile = NotificationProfile.of(inputs(noPush, List.of(PHONE)), request(null, priority, false), CLOCK).toJson();
            assertEquals(false, channel(profile, "push").get("enabled"));
            assertEquals("channel_disabled", reason(profile, "push"), priority.code());
            assertEquals(true, channel(profile, "email").get("allowed_now"));
        }
    }

    @Test
    void aCategoryOptOutHoldsBackThatChannelUnlessCritical() {
        Preferences noMarketingMail = new Preferences(true, true, null, null,
                Map.of("marketing", new CategoryChoice(false, true)), Instant.EPOCH);
        ProfileInputs inputs = inputs(noMarketingMail, List.of(PHONE));

        Map<String, Object> marketing = NotificationProfile.of(inputs, request("marketing", Priority.HIGH, false), CLOCK).toJson();
        assertEquals("category_opt_out", reason(marketing, "email"));
        assertEquals(true, channel(marketing, "email").get("enabled"), "the channel itself stays on");
        assertEquals(true, channel(marketing, "push").get("allowed_now"));

        assertEquals(true, channel(NotificationProfile.of(inputs, request("marketing", Priority.CRITICAL, false), CLOCK).toJson(), "email").get("allowed_now"));
        assertEquals(true, channel(NotificationProfile.of(inputs, request("billing", Priority.NORMAL, false), CLOCK).toJson(), "email").get("allowed_now"),
                "a category the user never chose for is allowed");
        assertEquals(true, channel(NotificationProfile.of(inputs, ProfileRequest.DEFAULT, CLOCK).toJson(), "email").get("allowed_now"),
                "no category, no opt-out");
    }

    @Test
    void pushWithoutDevicesHasNoActiveDevices() {
        Map<String, Object> profile = NotificationProfile.of(inputs(EVERYTHING_ON, List.of()), request(null, Priority.CRITICAL, false), CLOCK).toJson();

        assertEquals(Map.of("enabled", true, "allowed_now", false, "reason", "no_active_devices", "tokens", List.of()), channel(profile, "push"));
    }

    @Test
    void devicesOfSessionsAPasswordResetEndedDoNotCount() {
        Instant reset = Instant.parse("2025-05-15T00:00:00Z");
        PushTarget afterReset = new PushTarget("d3", "new-phone", "android", "s3", reset, NOW);
        ProfileInputs inputs = withAccount(inputs(EVERYTHING_ON, List.of(PHONE, BROWSER, afterReset)), true, true, false,
                SessionCutoff.reset(reset));

        Map<String, Object> profile = NotificationProfile.of(inputs, ProfileRequest.DEFAULT, CLOCK).toJson();

        assertEquals(List.of(Map.of("token", "browser-token", "platform", "web"), Map.of("token", "new-phone", "platform", "android")),
                channel(profile, "push").get("tokens"), "the phone's session began before the reset; the browser has no session");
    }

    @Test
    void aPasswordChangeKeepsTheDevicesOfTheSessionThatChangedIt() {
        PushTarget laptop = new PushTarget("d4", "laptop-token", "web", "s4", Instant.parse("2025-05-10T00:00:00Z"), NOW);
        ProfileInputs inputs = withAccount(inputs(EVERYTHING_ON, List.of(PHONE, laptop)), true, true, false,
                SessionCutoff.change(Instant.parse("2025-05-15T00:00:00Z"), "s4"));

        Map<String, Object> profile = NotificationProfile.of(inputs, ProfileRequest.DEFAULT, CLOCK).toJson();

        assertEquals(List.of(Map.of("token", "laptop-token", "platform", "web")), channel(profile, "push").get("tokens"),
                "the laptop's session changed the password and stays; the phone's ended with the change");
    }

    @Test
    void aBouncedEmailIsNotAllowedEvenForCriticalMail() {
        ProfileInputs bounced = withAccount(inputs(EVERYTHING_ON, List.of(PHONE)), true, true, true, null);

        Map<String, Object> profile = NotificationProfile.of(bounced, request(null, Priority.CRITICAL, false), CLOCK).toJson();

        assertEquals(Map.of("enabled", true, "allowed_now", false, "reason", "email_bounced"), channel(profile, "email"));
        assertEquals(true, channel(profile, "push").get("allowed_now"));
    }

    @Test
    void anUnverifiedEmailIsRefusedOnlyWhenVerificationIsRequired() {
        ProfileInputs unverified = withAccount(inputs(EVERYTHING_ON, List.of(PHONE)), true, false, false, null);

        assertEquals(true, channel(NotificationProfile.of(unverified, ProfileRequest.DEFAULT, CLOCK).toJson(), "email").get("allowed_now"));
        Map<String, Object> required = NotificationProfile.of(unverified, request(null, Priority.NORMAL, true), CLOCK).toJson();
        assertEquals("email_unverified", reason(required, "email"));
        assertEquals(true, channel(required, "push").get("allowed_now"), "verification is about email only");
    }

    @Test
    void aDisabledAccountIsReachableOnNoChannelEvenForCriticalMail() {
        ProfileInputs disabled = withAccount(inputs(EVERYTHING_ON, List.of(PHONE)), false, true, false, null);

        Map<String, Object> profile = NotificationProfile.of(disabled, request(null, Priority.CRITICAL, false), CLOCK).toJson();

        assertEquals(Map.of("enabled", false, "allowed_now", false, "reason", "channel_disabled"), channel(profile, "email"));
        assertEquals(Map.of("enabled", false, "allowed_now", false, "reason", "channel_disabled", "tokens", List.of()), channel(profile, "push"));
    }

    @Test
    void quietHoursAreNamedOnlyWhenNothingElseStandsInTheWay() {
        // 12:00 in Berlin, inside 11:00-13:00; email is also opted out of the category, push has no device.
        Preferences quietAtNoon = new Preferences(true, true, LocalTime.of(11, 0), LocalTime.of(13, 0),
                Map.of("news", new CategoryChoice(false, true)), Instant.EPOCH);

        Map<String, Object> profile = NotificationProfile.of(inputs(quietAtNoon, List.of()), request("news", Priority.NORMAL, false), CLOCK).toJson();

        assertEquals(true, profile.get("quiet_hours_active"));
        assertEquals(Instant.parse("2025-06-02T11:00:00Z"), profile.get("quiet_hours_end_at"));
        assertEquals("category_opt_out", reason(profile, "email"));
        assertEquals("no_active_devices", reason(profile, "push"));
    }

    @Test
    void theCustomPreferencesReachTheProfile() {
        Preferences preferences = new Preferences(true, true, null, null, Map.of(),
                Map.of("desired_role", "backend", "remote_only", true), Instant.EPOCH);

        Map<String, Object> profile = NotificationProfile.of(inputs(preferences, List.of(PHONE)), ProfileRequest.DEFAULT, CLOCK).toJson();

        assertEquals(Map.of("desired_role", "backend", "remote_only", true), profile.get("custom"));
        assertEquals(Map.of(), NotificationProfile.of(inputs(EVERYTHING_ON, List.of()), ProfileRequest.DEFAULT, CLOCK).toJson().get("custom"));
    }

    @Test
    void quietHoursArePlacedByTheCachedOffsetWhileItHoldsAndByTheZonesRulesOtherwise() {
        Preferences night = new Preferences(true, true, LocalTime.of(22, 0), LocalTime.of(7, 0), Map.of(), Instant.EPOCH);
        ProfileInputs inputs = inputs(night, List.of(PHONE));
        Clock lateEvening = Clock.fixed(Instant.parse("2025-06-02T21:30:00Z"), ZoneOffset.UTC); // 23:30 in Berlin

        // An offset unlike Berlin's (UTC+5 for good) shows which one placed the period: 22:00-07:00 at UTC+5 ends 02:00 UTC.
        ProfileInputs cachedOffset = withZoneOffset(inputs, new ZoneOffsetSpan(5 * 3_600, null, null));
        ProfileInputs offsetEndingSoon = withZoneOffset(inputs, new ZoneOffsetSpan(5 * 3_600, null, Instant.parse("2025-06-04T00:00:00Z")));

        assertEquals(Optional.of(Instant.parse("2025-06-03T05:00:00Z")), NotificationProfile.of(inputs, ProfileRequest.DEFAULT, lateEvening).quietHoursEndAt());
        assertEquals(Optional.of(Instant.parse("2025-06-03T02:00:00Z")), NotificationProfile.of(cachedOffset, ProfileRequest.DEFAULT, lateEvening).quietHoursEndAt());
        assertEquals(Optional.of(Instant.parse("2025-06-03T05:00:00Z")), NotificationProfile.of(offsetEndingSoon, ProfileRequest.DEFAULT, lateEvening).quietHoursEndAt(),
                "an offset that ends within two days of now is not used");
    }

    private static ProfileInputs withZoneOffset(ProfileInputs inputs, ZoneOffsetSpan offset) {
        return new ProfileInputs(inputs.userId(), inputs.email(), inputs.name(), inputs.locale(), inputs.timezone(),
                inputs.active(), inputs.emailVerified(), inputs.emailBounced(), inputs.sessionCutoff(),
                inputs.preferences(), inputs.devices(), offset);
    }

    @Test
    void theCachedFormReadsBackAsTheSameInputs() {
        Preferences preferences = new Preferences(false, true, LocalTime.of(22, 0), LocalTime.of(7, 30),
                Map.of("news", new CategoryChoice(false, true)), Instant.parse("2025-05-01T08:00:00Z"));
        ProfileInputs inputs = withAccount(inputs(preferences, List.of(PHONE, BROWSER)), true, false, true,
                SessionCutoff.reset(Instant.parse("2025-05-02T00:00:00Z")));

        assertEquals(inputs, ProfileInputs.fromJson(Json.parseObject(Json.write(inputs))));
        ProfileInputs withOffset = inputs.withZoneOffsetAround(NOW);
        assertEquals(new ZoneOffsetSpan(7_200, Instant.parse("2025-03-30T01:00:00Z"), Instant.parse("2025-10-26T01:00:00Z")),
                withOffset.zoneOffset(), "Berlin in summer");
        assertEquals(withOffset, ProfileInputs.fromJson(Json.parseObject(Json.write(withOffset))));
    }
}
