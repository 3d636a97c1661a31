package dev.userservice.preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.preferences.Preferences.CategoryChoice;
import dev.userservice.validation.Fields;
import java.time.Instant;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PreferencesTest {
    private static final Instant NOW = Instant.parse("2025-06-01T08:30:00Z");
    private static final Instant LATER = NOW.plusSeconds(60);
    private static final String NEED_BOTH = "quiet hours need both a start and an end";
    private static final String BAD_TIME = "must be a time as HH:MM (or HH:MM:00), 00:00 to 23:59";

    @Test
    void emptyObjectGivesTheDefaults() {
        Preferences preferences = read("{}");

        assertEquals(Preferences.defaults(NOW), preferences);
        assertEquals(true, preferences.email());
        assertEquals(true, preferences.push());
        assertEquals(null, preferences.quietHoursStart());
        assertEquals(Map.of(), preferences.categories());
    }

    @Test
    void givenValuesReplaceTheDefaultsAndQuietHoursMaySpanMidnight() {
        Preferences preferences = read("{\"push\": false, \"quiet_hours_start\": \"22:00\", \"quiet_hours_end\": \"07:00\"}");

        assertEquals(true, preferences.email());
        assertEquals(false, preferences.push());
        assertEquals(LocalTime.of(22, 0), preferences.quietHoursStart());
        assertEquals(LocalTime.of(7, 0), preferences.quietHoursEnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"25:00", "24:00", "23:60", "7:00", "07:0", "0700", "noon", "-1:00", "07:00:30", "07:00:"})
    void quietHoursOutsideHhMmAreRefused(String time) {
        assertEquals(List.of(new FieldError("quiet_hours_start", BAD_TIME)), failures("{\"quiet_hours_start\": \"" + time + "\"}"));
    }

    @Test
    void quietHoursWithFractionsOfSecondsAreRefusedAsTooLong() {
        assertEquals(List.of(new FieldError("quiet_hours_start", "must be at most 8 characters")),
                failures("{\"quiet_hours_start\": \"07:00:00.000\"}"));
    }

    @Test
    void midnightAndLastMinuteAreValidTimes() {
        Preferences preferences = read("{\"quiet_hours_start\": \"23:59\", \"quiet_hours_end\": \"00:00\"}");

        assertEquals(LocalTime.of(23, 59), preferences.quietHoursStart());
        assertEquals(LocalTime.MIDNIGHT, preferences.quietHoursEnd());
    }

    @Test
    void startWithoutEndIsRefused() {
        assertEquals(List.of(new FieldError("quiet_hours_end", NEED_BOTH)), failures("{\"quiet_hours_start\": \"22:00\"}"));
    }

    @Test
    void endWithoutStartIsRefused() {
        assertEquals(List.of(new FieldError("quiet_hours_start", NEED_BOTH)), failures("{\"quiet_hours_end\": \"07:00\"}"));
    }

    @Test
    void nullQuietHoursMeanNone() {
        Preferences preferences = read("{\"quiet_hours_start\": null, \"quiet_hours_end\": null}");

        assertEquals(null, preferences.quietHoursStart());
        assertEquals(null, preferences.quietHoursEnd());
    }

    /** What a client written for the earlier services echoes back: a time field's HH:MM:SS. */
    @Test
    void quietHoursMayCarryZeroSeconds() {
        Preferences read = read("{\"quiet_hours_start\": \"22:00:00\", \"quiet_hours_end\": \"07:30:00\"}");

        assertEquals(LocalTime.of(22, 0), read.quietHoursStart());
        assertEquals("07:30", read.toJson().get("quiet_hours_end"));
    }

    @Test
    void badStartWithAGoodEndIsReportedOnceAsABadTime() {
        assertEquals(List.of(new FieldError("quiet_hours_start", BAD_TIME)),
                failures("{\"quiet_hours_start\": \"25:00\", \"quiet_hours_end\": \"07:00\"}"));
    }

    @Test
    void categoriesAreReadWithEachChannelDefaultingToOn() {
        Preferences preferences = read("{\"categories\": {\"marketing\": {\"email\": false}, \"security_alerts\": {\"push\": false, \"email\": true}}}");

        assertEquals(Map.of(
                "marketing", new CategoryChoice(false, true),
                "security_alerts", new CategoryChoice(true, false)), preferences.categories());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Marketing", "1news", "_news", "news-letter", "news letter", ""})
    void badCategoryNamesAreRefusedByPath(String name) {
        List<FieldError> details = failures("{\"categories\": {\"" + name + "\": {\"email\": false}}}");

        assertEquals(List.of(new FieldError("categories." + name,
                "category names are lower-case letters, digits and _ (at most 64)")), details);
    }

    @Test
    void categoryNameOf65CharactersIsRefused() {
        String name = "c".repeat(65);

        assertEquals("categories." + name, failures("{\"categories\": {\"" + name + "\": {}}}").getFirst().field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "\"on\"", "null", "[]"})
    void categoryThatIsNotAnObjectIsRefused(String value) {
        List<FieldError> details = failures("{\"categories\": {\"news\": " + value + "}}");

        assertFalse(details.isEmpty());
        assertTrue(details.stream().allMatch(detail -> detail.field().equals("categories.news")), details::toString);
    }

    @Test
    void categoryThatIsNotAnObjectIsReportedOnce() {
        assertEquals(List.of(new FieldError("categories.news", "must be an object such as {\"email\": true, \"push\": false}")),
                failures("{\"categories\": {\"news\": false}}"));
    }

    @Test
    void wrongTypeAndUnknownChannelInACategoryAreNamedByPath() {
        List<FieldError> details = failures("{\"categories\": {\"news\": {\"push\": \"no\", \"sms\": true}}}");

        assertEquals(List.of(
                new FieldError("categories.news.push", "must be true or false"),
                FieldError.unknown("categories.news.sms")), details);
    }

    @Test
    void categoriesMustBeAnObject() {
        assertEquals(List.of(new FieldError("categories", "must be an object")), failures("{\"categories\": [\"news\"]}"));
    }

    @Test
    void fiftyCategoriesAreAcceptedAndFiftyOneRefused() {
        assertEquals(Preferences.MAX_CATEGORIES, read(withCategories(Preferences.MAX_CATEGORIES)).categories().size());

        assertEquals(List.of(new FieldError("categories", "must have at most 50 categories")),
                failures(withCategories(Preferences.MAX_CATEGORIES + 1)));
    }

    @Test
    void unknownTopLevelFieldIsRefused() {
        assertEquals(List.of(FieldError.unknown("sms")), failures("{\"sms\": true}"));
    }

    @Test
    void preferencesNestedInARegistrationReportFullPaths() {
        Fields body = Fields.of(Json.parseObject("{\"preferences\": {\"push\": 1, \"categories\": {\"news\": {\"sms\": true}}}}"));

        body.optionalObject("preferences").ifPresent(preferences -> Preferences.read(preferences, NOW));

        ServiceException failure = assertThrows(ServiceException.class, body::validate);
        assertEquals(List.of(
                new FieldError("preferences.push", "must be true or false"),
                FieldError.unknown("preferences.categories.news.sms")), failure.details());
    }

    @Test
    void jsonHasTheContractShape() {
        Preferences preferences = read("{\"email\": false, \"quiet_hours_start\": \"22:30\", \"quiet_hours_end\": \"06:05\","
                + " \"categories\": {\"news\": {\"push\": false}}}");

        assertEquals("{\"email\":false,\"push\":true,\"quiet_hours_start\":\"22:30\",\"quiet_hours_end\":\"06:05\","
                + "\"categories\":{\"news\":{\"email\":true,\"push\":false}},\"custom\":{},\"updated_at\":\"2025-06-01T08:30:00Z\"}",
                Json.write(preferences));
    }

    @Test
    void aChangeKeepsEveryFieldItDoesNotName() {
        Preferences stored = read("{\"email\": false, \"quiet_hours_start\": \"22:00\", \"quiet_hours_end\": \"07:00\","
                + " \"categories\": {\"news\": {\"push\": false}}}");

        Preferences changed = change(stored, "{\"push\": false}");

        assertEquals(new Preferences(false, false, LocalTime.of(22, 0), LocalTime.of(7, 0),
                Map.of("news", new CategoryChoice(true, false)), LATER), changed);
    }

    /** A client that reads its preferences, edits them and puts the whole object back sends the read-only time too. */
    @Test
    void aPutOfFetchedPreferencesMaySendTheirUpdatedAtBackUnchanged() {
        Preferences stored = read("{\"email\": false}");
        Map<String, Object> fetched = new LinkedHashMap<>(Json.parseObject(Json.write(stored)));
        fetched.put("push", false);

        Preferences changed = change(stored, Json.write(fetched));

        assertFalse(changed.push());
        String readBack = stored.updatedAt().atOffset(java.time.ZoneOffset.UTC)
                .format(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx"));
        fetched.put("updated_at", readBack);
        assertFalse(change(stored, Json.write(fetched)).push(), "the same time as a Python client writes it back: " + readBack);
        fetched.put("updated_at", "2020-01-01T00:00:00Z");
        assertEquals(List.of("updated_at"), changeFailures(stored, Json.write(fetched)).stream().map(FieldError::field).toList(),
                "a time it did not read: the preferences changed since, or it was never theirs");
    }

    @Test
    void aChangeOfOneQuietHoursHalfKeepsTheStoredOther() {
        Preferences stored = read("{\"quiet_hours_start\": \"22:00\", \"quiet_hours_end\": \"07:00\"}");

        Preferences changed = change(stored, "{\"quiet_hours_start\": \"23:30\"}");

        assertEquals(LocalTime.of(23, 30), changed.quietHoursStart());
        assertEquals(LocalTime.of(7, 0), changed.quietHoursEnd());
    }

    @Test
    void aStartWithoutAStoredEndIsRefused() {
        assertEquals(List.of(new FieldError("quiet_hours_end", NEED_BOTH)),
                changeFailures(Preferences.defaults(NOW), "{\"quiet_hours_start\": \"22:00\"}"));
    }

    @Test
    void quietHoursAreClearedOnlyBothAtOnce() {
        Preferences stored = read("{\"quiet_hours_start\": \"22:00\", \"quiet_hours_end\": \"07:00\"}");

        assertEquals(List.of(new FieldError("quiet_hours_start", Preferences.CLEAR_BOTH)),
                changeFailures(stored, "{\"quiet_hours_start\": null}"));
        Preferences cleared = change(stored, "{\"quiet_hours_start\": null, \"quiet_hours_end\": null}");
        assertEquals(null, cleared.quietHoursStart());
        assertEquals(null, cleared.quietHoursEnd());
    }

    /** The same request answers the same whatever is stored: a lone null is refused with none stored too. */
    @Test
    void aLoneNullHalfIsRefusedWhenNoQuietHoursAreStored() {
        Preferences none = read("{}");

        assertEquals(List.of(new FieldError("quiet_hours_start", Preferences.CLEAR_BOTH)),
                changeFailures(none, "{\"quiet_hours_start\": null}"));
        assertEquals(List.of(new FieldError("quiet_hours_end", Preferences.CLEAR_BOTH)),
                changeFailures(none, "{\"quiet_hours_end\": null}"));
        assertEquals(null, change(none, "{\"quiet_hours_start\": null, \"quiet_hours_end\": null}").quietHoursStart());
    }

    @Test
    void categoriesAreAddedOverriddenChannelByChannelAndRemovedWithNull() {
        Preferences stored = read("{\"categories\": {\"news\": {\"email\": false}, \"digest\": {\"push\": false}}}");

        Preferences changed = change(stored, "{\"categories\": {\"news\": {\"push\": false}, \"digest\": null,"
                + " \"security\": {\"email\": true}}}");

        assertEquals(Map.of(
                "news", new CategoryChoice(false, false),
                "security", new CategoryChoice(true, true)), changed.categories());
    }

    @Test
    void removingACategoryThatIsNotStoredChangesNothing() {
        Preferences stored = Preferences.defaults(NOW);

        assertTrue(change(stored, "{\"categories\": {\"news\": null}}").sameChoicesAs(stored));
    }

    @Test
    void theCategoryLimitCountsTheStoredOnes() {
        Preferences stored = read(withCategories(Preferences.MAX_CATEGORIES));

        assertEquals(List.of(new FieldError("categories", "must have at most 50 categories")),
                changeFailures(stored, "{\"categories\": {\"one_more\": {}}}"));
        assertEquals(Preferences.MAX_CATEGORIES,
                change(stored, "{\"categories\": {\"one_more\": {}, \"category_0\": null}}").categories().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"email\": null}", "{\"push\": \"yes\"}", "{\"categories\": null}",
            "{\"categories\": {\"news\": {\"email\": null}}}", "{\"sms\": true}", "{\"quiet_hours_start\": 2200}"})
    void nullSwitchesWrongTypesAndUnknownFieldsAreRefusedBeforeAnythingIsApplied(String json) {
        Fields fields = Fields.of(Json.parseObject(json));
        Preferences.Change.read(fields);

        ServiceException failure = assertThrows(ServiceException.class, fields::validate);
        assertEquals(ErrorCode.VALIDATION_FAILED, failure.error());
        assertEquals(1, failure.details().size(), failure.details()::toString);
    }

    @Test
    void aChangeToTheStoredValuesChangesNoChoice() {
        Preferences stored = read("{\"email\": false, \"quiet_hours_start\": \"22:00\", \"quiet_hours_end\": \"07:00\"}");

        Preferences same = change(stored, "{\"email\": false, \"quiet_hours_end\": \"07:00\", \"categories\": {}}");

        assertTrue(same.sameChoicesAs(stored));
        assertFalse(change(stored, "{\"email\": true}").sameChoicesAs(stored));
    }

    @Test
    void customFieldsAreMergedByKeyAndRemovedWithNull() {
        Preferences stored = read("{\"custom\": {\"desired_role\": \"backend\", \"remote_only\": true}}");

        Preferences changed = change(stored, "{\"custom\": {\"remote_only\": null, \"min_salary\": 70000}}");

        assertEquals(Map.of("desired_role", "backend", "min_salary", 70000L), changed.custom());
        assertFalse(changed.sameChoicesAs(stored), "a custom field is a choice");
    }

    @Test
    void customAsNullReadsAsAbsent() {
        Preferences stored = read("{\"custom\": {\"desired_role\": \"backend\"}}");

        Preferences changed = change(stored, "{\"push\": false, \"custom\": null}");

        assertEquals(Map.of("desired_role", "backend"), changed.custom());
        assertFalse(changed.push());
    }

    @Test
    void customKeysAndValuesFollowTheAttributesRuleByPath() {
        assertEquals(List.of(
                new FieldError("custom.Bad-Key", "is not a valid key: a lower-case letter, then up to 63 lower-case letters, digits or _"),
                new FieldError("custom.nested", "must be a string, number or boolean"),
                new FieldError("custom.bio", "must be at most 1000 characters")),
                failures("{\"custom\": {\"Bad-Key\": 1, \"nested\": {\"a\": 1}, \"bio\": \"" + "x".repeat(1001) + "\"}}"));
        assertEquals(List.of(new FieldError("custom", "must be an object of strings, numbers or booleans")),
                failures("{\"custom\": [1]}"));
    }

    @Test
    void theCustomLimitsCountTheStoredKeys() {
        Map<String, Object> fifty = IntStream.range(0, 50).boxed()
                .collect(Collectors.toMap(i -> "key_" + i, i -> i, (a, b) -> a, LinkedHashMap::new));
        Preferences stored = read(Json.write(Map.of("custom", fifty)));

        assertEquals(List.of(new FieldError("custom", "must have at most 50 keys, counting the stored ones")),
                changeFailures(stored, "{\"custom\": {\"one_more\": 1}}"));
        assertEquals(List.of(new FieldError("custom", "must be at most 4096 bytes as JSON, counting the stored ones")),
                changeFailures(stored, "{\"custom\": {\"key_0\": \"" + "x".repeat(1000) + "\", \"key_1\": \""
                        + "x".repeat(1000) + "\", \"key_2\": \"" + "x".repeat(1000) + "\", \"key_3\": \"" + "x".repeat(1000) + "\"}}"));
    }

    @Test
    void customFieldsSurviveTheCachedFormAndAnOlderCachedFormHasNone() {
        Preferences stored = read("{\"custom\": {\"desired_role\": \"backend\", \"remote_only\": true}}");

        assertEquals(stored, Preferences.fromJson(Json.parseObject(Json.write(stored))));
        Map<String, Object> older = new LinkedHashMap<>(Json.parseObject(Json.write(Preferences.defaults(NOW))));
        older.remove("custom");
        assertEquals(Preferences.defaults(NOW), Preferences.fromJson(older));
    }

    private static Preferences change(Preferences stored, String json) {
        Fields fields = Fields.of(Json.parseObject(json));
        Preferences.Change change = Preferences.Change.read(fields);
        fields.validate();
        return change.applyTo(stored, LATER);
    }

    private static List<FieldError> changeFailures(Preferences stored, String json) {
        ServiceException failure = assertThrows(ServiceException.class, () -> change(stored, json));
        assertEquals(ErrorCode.VALIDATION_FAILED, failure.error());
        return failure.details();
    }

    private static Preferences read(String json) {
        Fields fields = Fields.of(Json.parseObject(json));
        Preferences preferences = Preferences.read(fields, NOW);
        fields.validate();
        return preferences;
    }

    private static List<FieldError> failures(String json) {
        ServiceException failure = assertThrows(ServiceException.class, () -> read(json));
        assertEquals(ErrorCode.VALIDATION_FAILED, failure.error());
        return failure.details();
    }

    private static String withCategories(int count) {
        Map<String, Object> categories = IntStream.range(0, count).boxed()
                .collect(Collectors.toMap(i -> "category_" + i, i -> Map.of("email", false), (a, b) -> a, LinkedHashMap::new));
        return Json.write(Map.of("categories", categories));
    }
}
