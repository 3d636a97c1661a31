package dev.userservice.accounts;

import static dev.userservice.testing.Refusals.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.auth.Principal;
import dev.userservice.auth.Role;
import dev.userservice.errors.ErrorCode;
import dev.userservice.json.Json;
import dev.userservice.testing.IdentityServices;
import dev.userservice.testing.InMemoryProfiles;
import dev.userservice.users.Plans;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProfilesTest {
    private final IdentityServices identity = new IdentityServices();
    private final InMemoryProfiles stored = new InMemoryProfiles();
    private final Profiles profiles = new Profiles(identity.accounts, stored, Plans.DEFAULT, identity.clock);
    private final PlanChanges plans = new PlanChanges(identity.accounts, identity.userViews, Plans.DEFAULT, true, identity.clock);
    private final Principal owner = identity.principal(identity.register("owner@example.com"));

    @Test
    void theOwnerAdminsAndServicesSeeEveryVisibilityAPremiumUserPublicAndPremiumOnly() {
        Principal premium = identity.principal(identity.register("premium@example.com"));
        plans.upgrade(premium);

        assertEquals(Set.of(Visibility.values()), profiles.visibleTo(owner, owner.subject()));
        assertEquals(Set.of(Visibility.values()), profiles.visibleTo(caller(Role.ADMIN), owner.subject()));
        assertEquals(Set.of(Visibility.values()), profiles.visibleTo(caller(Role.SERVICE), owner.subject()));
        assertEquals(Set.of(Visibility.PUBLIC, Visibility.PREMIUM), profiles.visibleTo(premium, owner.subject()));
    }

    @Test
    void aBasicUserMayNotReadAnotherUsersProfile() {
        Principal basic = identity.principal(identity.register("basic@example.com"));

        assertEquals(ErrorCode.FORBIDDEN, refusal(() -> profiles.of(basic, owner.subject())));
    }

    @Test
    void aPrivateFieldIsLeftOutForAPremiumReaderAndTheVisibilitiesWithIt() {
        Principal premium = identity.principal(identity.register("premium@example.com"));
        plans.upgrade(premium);
        profiles.update(owner, ProfileUpdate.read(Map.of("bio", "Hello", "location", "Porto",
                "visibility", Map.of("bio", "private")), true));

        Map<String, Object> seen = profiles.of(premium, owner.subject());

        assertEquals(Set.of("user_id", "name", "avatar_url", "title", "location", "links"), seen.keySet());
        assertEquals("Porto", seen.get("location"));
    }

    /** Its version: two writers that read the same profile cannot both save, even within one tick of the clock. */
    @Test
    void everyChangeMovesTheProfilesUpdatedAtOnEvenWhenTheClockHasNot() {
        Map<String, Object> first = profiles.update(owner, ProfileUpdate.read(Map.of("bio", "Hello"), false));
        Map<String, Object> second = profiles.update(owner, ProfileUpdate.read(Map.of("bio", "Hello again"), false));

        assertTrue(((Instant) second.get("updated_at")).isAfter((Instant) first.get("updated_at")));
    }

    @Test
    void aPutReplacesEverythingAndAPatchOnlyWhatItNames() {
        profiles.update(owner, ProfileUpdate.read(Map.of("bio", "Hello", "title", "Engineer",
                "visibility", Map.of("title", "private")), false));
        Map<String, Object> patched = profiles.update(owner, ProfileUpdate.read(Map.of("title", "Lead"), false));
        Map<String, Object> replaced = profiles.update(owner, ProfileUpdate.read(Map.of("title", "Lead"), true));

        assertEquals(List.of("Hello", "Lead", "private"), List.of(patched.get("bio"), patched.get("title"),
                ((Map<?, ?>) patched.get("visibility")).get("title")));
        assertEquals(java.util.Arrays.asList(null, "Lead", "private"), java.util.Arrays.asList(replaced.get("bio"), replaced.get("title"),
                ((Map<?, ?>) replaced.get("visibility")).get("title")), "a PUT keeps the visibility it does not name");
    }

    /**
     * Two clients each replace the profile they read: the one that read it before the other's change is refused
     * (its {@code updated_at} is no longer the stored one), rather than silently putting back the old bio.
     */
    @Test
    void aReplacementOfAProfileThatChangedSinceItWasReadIsRefused() {
        profiles.update(owner, ProfileUpdate.read(Map.of("bio", "Hello", "title", "Engineer"), true));
        Map<String, Object> readByBoth = Json.parseObject(Json.write(profiles.own(owner)));

        Map<String, Object> first = new LinkedHashMap<>(readByBoth);
        first.put("bio", "Hello from the first");
        profiles.update(owner, ProfileUpdate.read(first, true));
        Map<String, Object> second = new LinkedHashMap<>(readByBoth);
        second.put("title", "Lead");

        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> profiles.update(owner, ProfileUpdate.read(second, true))));
        Map<String, Object> stored = profiles.own(owner);
        assertEquals(List.of("Hello from the first", "Engineer"), List.of(stored.get("bio"), stored.get("title")));

        Map<String, Object> readAgain = new LinkedHashMap<>(Json.parseObject(Json.write(stored)));
        readAgain.put("title", "Lead");
        assertEquals("Lead", profiles.update(owner, ProfileUpdate.read(readAgain, true)).get("title"),
                "what a client read, sent back with its change, is accepted");
    }

    @Test
    void onlyHttpsUrlsAndKnownFieldsAreAccepted() {
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> ProfileUpdate.read(Map.of("avatar_url", "http://a.example/x.png"), false)));
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> ProfileUpdate.read(Map.of("links", List.of("ftp://a.example")), false)));
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> ProfileUpdate.read(Map.of("links", List.of("https://a.example/\ud800")), false)),
                "a lone surrogate, as in any other text");
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> ProfileUpdate.read(Map.of("links", List.of(
                "https://a.example/1", "https://a.example/2", "https://a.example/3", "https://a.example/4",
                "https://a.example/5", "https://a.example/6")), false)));
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> ProfileUpdate.read(Map.of("visibility", Map.of("email", "public")), false)));
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> ProfileUpdate.read(Map.of("visibility", Map.of("bio", "friends")), false)));
        assertTrue(ProfileUpdate.read(Map.of("avatar_url", "https://a.example/x.png"), false).texts().containsKey("avatar_url"));
        assertFalse(ProfileUpdate.read(Map.of("bio", "x"), false).links().isPresent(), "a PATCH without links leaves them");
    }

    /** Other users' browsers fetch these: no machine of theirs, no credentials shown to them all. */
    @ParameterizedTest
    @ValueSource(strings = {"https://user:pass@a.example/x.png", "https://bank.example@evil.example/", "https://[::1]/x.png",
            "https://127.0.0.1/x.png", "https://192.168.1.1./reset", "https://0x7f.1/", "https://2130706433/", "https://localhost/x.png",
            "https://router/reset", "https://app.localhost/x.png", "https://nas.local/x.png", "https://ROUTER.LAN./reset",
            "https://build.internal/x", "https://printer.home.arpa/", "https://localhost.localdomain/x"})
    void aUrlNamingTheReadersOwnMachinesOrCarryingCredentialsIsRefused(String url) {
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> ProfileUpdate.read(Map.of("avatar_url", url), false)));
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> ProfileUpdate.read(Map.of("links", List.of(url)), false)));
    }

    /** Nobody's browser can load these, though java.net.URI parses them. */
    @ParameterizedTest
    @ValueSource(strings = {"https://a.example:99999/x.png", "https://a.example:65536/", "https://a.example:0/", "https://a.example:/x",
            "https://a.example:00000/"})
    void aUrlWithAPortNoConnectionCanHaveIsRefused(String url) {
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> ProfileUpdate.read(Map.of("avatar_url", url), false)));
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> ProfileUpdate.read(Map.of("links", List.of(url)), false)));
    }

    @Test
    void aHostNameBeyondDnssLimitsIsRefused() {
        String longestLabel = "a".repeat(63);
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> ProfileUpdate.read(Map.of("avatar_url",
                "https://" + longestLabel + "a.example/"), false)), "a label of 64");
        String name = String.join(".", longestLabel, longestLabel, longestLabel, "a".repeat(59), "ex");
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> ProfileUpdate.read(Map.of("avatar_url", "https://" + name + "/"), false)),
                "a name of 254");
        String longestName = name.substring(1);
        assertEquals(Optional.of("https://" + longestName + "/"), ProfileUpdate.read(Map.of("avatar_url", "https://" + longestName + "/"),
                false).texts().get("avatar_url"), "a name of 253, labels of 63");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://a.example/x.png", "https://cdn.example.com./a/b?size=64#x", "https://xn--bcher-kva.example/a",
            "https://a1.example:8443/x", "https://123.example.com/x", "https://a.example:1/", "https://a.example:65535/"})
    void httpsUrlsOfHostNamesAreTaken(String url) {
        assertEquals(Optional.of(url), ProfileUpdate.read(Map.of("avatar_url", url), false).texts().get("avatar_url"));
    }

    /** Other users read these: a control that turns the text around would show them another title than the one stored. */
    @Test
    void profileTextsRefuseControlsAndOverridesButABioKeepsItsLineBreaks() {
        for (String field : List.of("bio", "title", "location")) {
            for (String text : List.of("\u202enimdA troppuS", "a\u0000b", "bell\u0007", "isolated \u2066text\u2069")) {
                assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> ProfileUpdate.read(Map.of(field, text), false)), field + ": " + text);
            }
        }
        for (String twoLines : List.of("Lead\nEngineer", "Lead\u2028Engineer")) {
            assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> ProfileUpdate.read(Map.of("title", twoLines), false)), twoLines);
        }
        assertEquals(ErrorCode.VALIDATION_FAILED, refusal(() -> ProfileUpdate.read(Map.of("current_title", "\u202eLead"), false)),
                "under its earlier name too");

        Map<String, Object> stored = profiles.update(owner, ProfileUpdate.read(Map.of("bio", "First line\nsecond\tline",
                "title", "\u05de\u05d4\u05e0\u05d3\u05e1\u05ea \u200fLead", "location", "Porto"), false));

        assertEquals("First line\nsecond\tline", stored.get("bio"));
        assertEquals("\u05de\u05d4\u05e0\u05d3\u05e1\u05ea \u200fLead", stored.get("title"), "a right-to-left script and its mark are kept");
    }

    private Principal caller(Role role) {
        return new Principal("caller-" + role.claim(), null, Set.of(role), true, "token", identity.clock.instant().plusSeconds(60));
    }
}
