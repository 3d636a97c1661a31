package dev.userservice.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldsTest {

    @Test
    void everyBadFieldIsReportedAtOnceInTheOrderRead() {
        Fields fields = Fields.of(body("{\"email\": 5, \"name\": \"  \", \"phone\": \"0155 123\"}"));

        fields.required("email", Text.EMAIL_MAX_LENGTH, Text::email);
        fields.requiredString("password", 256);
        fields.required("name", 100, Text::name);
        fields.optional("phone", 16, Text::phone);

        assertEquals(List.of(
                new FieldError("email", "must be a string"),
                new FieldError("password", "is required"),
                new FieldError("name", "must not be blank"),
                new FieldError("phone", "must be an E.164 phone number such as +14155550123")), failures(fields));
    }

    @Test
    void validBodyPassesAndYieldsNormalisedValues() {
        Fields fields = Fields.of(body("{\"email\": \" Alice@Example.COM \", \"timezone\": \"Europe/Berlin\", \"push\": false}"));

        String email = fields.required("email", Text.EMAIL_MAX_LENGTH, Text::email);
        Optional<String> timezone = fields.optional("timezone", 64, Text::timezone);
        Optional<Boolean> push = fields.optionalBoolean("push");
        fields.validate();

        assertEquals("alice@example.com", email);
        assertEquals(Optional.of("Europe/Berlin"), timezone);
        assertEquals(Optional.of(false), push);
    }

    /** U+FB2C is one character given and three stored (NFC decomposes it): a text's limit is on what is stored. */
    @Test
    void aTextWithinItsLimitAsGivenButBeyondItNormalisedIsRefused() {
        Fields fields = Fields.of(Map.of("name", "\uFB2C".repeat(100), "username", "\uFB2C".repeat(33)));

        assertEquals(null, fields.required("name", 100, Text::name));
        assertEquals(Optional.of("\u05E9\u05BC\u05C1".repeat(33)), fields.optional("username", 100, Text::name));
        ServiceException refused = assertThrows(ServiceException.class, fields::validate);
        assertEquals(List.of(new FieldError("name", "must be at most 100 characters")), refused.details());
    }

    @Test
    void unknownFieldsAreRejectedAfterTheKnownOnes() {
        Fields fields = Fields.of(body("{\"role\": \"admin\", \"email\": 1, \"is_admin\": true}"));

        fields.optionalString("email", 254);

        assertEquals(List.of(
                new FieldError("email", "must be a string"),
                FieldError.unknown("role"),
                FieldError.unknown("is_admin")), failures(fields));
    }

    @Test
    void anUnknownFieldIsFlaggedAsOneAndReadsAsTheContractSays() {
        Fields fields = Fields.of(body("{\"email\": 1, \"role\": \"admin\"}"));

        fields.optionalString("email", 254);

        List<FieldError> failures = failures(fields);
        assertEquals(List.of(false, true), failures.stream().map(FieldError::unknownField).toList());
        assertEquals(Map.of("field", "role", "message", "is not a known field"), failures.get(1).toJson());
    }

    @Test
    void unknownFieldAloneFailsValidation() {
        Fields fields = Fields.of(body("{\"name\": \"Alice\", \"admin\": true}"));

        fields.optionalString("name", 100);

        assertEquals(List.of(FieldError.unknown("admin")), failures(fields));
    }

    @Test
    void unknownNestedFieldIsNamedByItsJsonPath() {
        Fields fields = Fields.of(body("{\"preferences\": {\"push\": true, \"sms\": true}}"));

        fields.optionalObject("preferences").ifPresent(preferences -> preferences.optionalBoolean("push"));

        assertEquals(List.of(FieldError.unknown("preferences.sms")), failures(fields));
    }

    @Test
    void wrongTypeInANestedObjectIsNamedByItsJsonPath() {
        Fields fields = Fields.of(body("{\"preferences\": {\"push\": \"yes\"}}"));

        fields.optionalObject("preferences").ifPresent(preferences -> preferences.optionalBoolean("push"));

        assertEquals(List.of(new FieldError("preferences.push", "must be true or false")), failures(fields));
    }

    @Test
    void pathsNestAtAnyDepth() {
        Fields fields = Fields.of(body("{\"a\": {\"b\": {\"c\": 1}}}"));

        fields.optionalObject("a").flatMap(a -> a.optionalObject("b")).ifPresent(b -> b.optionalString("c", 10));

        assertEquals(List.of(new FieldError("a.b.c", "must be a string")), failures(fields));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "true", "[\"a\"]", "{\"a\":1}", "1.5"})
    void nonStringValueOfAStringFieldIsReported(String value) {
        Fields fields = Fields.of(body("{\"name\": " + value + "}"));

        fields.optionalString("name", 100);

        assertEquals(List.of(new FieldError("name", "must be a string")), failures(fields));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"true\"", "1", "0", "[true]"})
    void nonBooleanValueOfABooleanFieldIsReported(String value) {
        Fields fields = Fields.of(body("{\"push\": " + value + "}"));

        fields.optionalBoolean("push");

        assertEquals(List.of(new FieldError("push", "must be true or false")), failures(fields));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"x\"", "[]", "true", "3"})
    void nonObjectValueOfAnObjectFieldIsReported(String value) {
        Fields fields = Fields.of(body("{\"preferences\": " + value + "}"));

        fields.optionalObject("preferences");

        assertEquals(List.of(new FieldError("preferences", "must be an object")), failures(fields));
    }

    @Test
    void nullReadsAsAbsentForOptionalFields() {
        Fields fields = Fields.of(body("{\"phone\": null, \"push\": null, \"preferences\": null}"));

        assertEquals(Optional.empty(), fields.optional("phone", 16, Text::phone));
        assertEquals(Optional.empty(), fields.optionalBoolean("push"));
        assertEquals(Optional.empty(), fields.optionalObject("preferences"));
        fields.validate();
    }

    @Test
    void nullForARequiredFieldIsReportedAsRequired() {
        // A null that slipped through would reach the services and end as a 500 for the client's mistake.
        Fields fields = Fields.of(body("{\"email\": null, \"refresh_token\": null}"));

        String email = fields.required("email", Text.EMAIL_MAX_LENGTH, Text::email);
        String token = fields.requiredString("refresh_token", 128);

        assertEquals(null, email);
        assertEquals(null, token);
        assertEquals(List.of(
                new FieldError("email", "is required"),
                new FieldError("refresh_token", "is required")), failures(fields));
    }

    @Test
    void wrongTypeOfARequiredFieldIsReportedOnce() {
        Fields fields = Fields.of(body("{\"email\": false}"));

        fields.required("email", Text.EMAIL_MAX_LENGTH, Text::email);

        assertEquals(List.of(new FieldError("email", "must be a string")), failures(fields));
    }

    @Test
    void maxLengthCountsCodePointsNotUtf16Units() {
        String tenEmoji = "🔐".repeat(10);
        Fields fields = Fields.of(Map.of("name", tenEmoji));

        assertEquals(Optional.of(tenEmoji), fields.optionalString("name", 10));
        fields.validate();
    }

    @Test
    void oneCodePointOverMaxLengthIsReported() {
        Fields fields = Fields.of(Map.of("name", "🔐".repeat(11)));

        fields.optionalString("name", 10);

        assertEquals(List.of(new FieldError("name", "must be at most 10 characters")), failures(fields));
    }

    @Test
    void oversizedValueIsReportedWithoutRunningItsParser() {
        Fields fields = Fields.of(Map.of("email", "a".repeat(10_000) + "@example.com"));

        String email = fields.required("email", Text.EMAIL_MAX_LENGTH, value -> {
            throw new AssertionError("the parser must not see an oversized value");
        });

        assertEquals(null, email);
        assertEquals(List.of(new FieldError("email", "must be at most 254 characters")), failures(fields));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "abc\\ud83d", "\\udd10abc", "\\udd10\\ud83d"})
    void unpairedSurrogatesAreRefused(String escaped) {
        Fields fields = Fields.of(body("{\"name\": \"" + escaped + "\"}"));

        fields.optionalString("name", 100);

        assertEquals(List.of(new FieldError("name", "must be valid Unicode text")), failures(fields));
    }

    @Test
    void pairedSurrogatesAreAccepted() {
        Fields fields = Fields.of(body("{\"name\": \"\\ud83d\\udd10\"}"));

        assertEquals(Optional.of("🔐"), fields.optionalString("name", 1));
    }

    @Test
    void callerChosenNamesAreReadAndNotReportedAsUnknown() {
        Fields fields = Fields.of(body("{\"attributes\": {\"plan\": \"pro\", \"seats\": 3}}"));

        Fields attributes = fields.optionalObject("attributes").orElseThrow();

        assertEquals(List.of("plan", "seats"), List.copyOf(attributes.names()));
        assertEquals(3L, attributes.raw("seats"));
        fields.validate();
    }

    @Test
    void hasMarksAFieldAsKnown() {
        Fields fields = Fields.of(body("{\"email\": \"a@example.com\"}"));

        assertTrue(fields.has("email"));
        assertFalse(fields.has("password"));
        fields.validate();
    }

    @Test
    void rejectAddsACallersOwnRuleToTheSameList() {
        Fields fields = Fields.of(body("{\"password\": \"password123\", \"extra\": 1}"));

        fields.requiredString("password", 256);
        fields.reject("password", "is too common");

        assertTrue(fields.hasErrors());
        assertEquals(List.of(
                new FieldError("password", "is too common"),
                FieldError.unknown("extra")), failures(fields));
    }

    private static Map<String, Object> body(String json) {
        return Json.parseObject(json);
    }

    /** The details of the one validation_failed that {@code validate()} must throw. */
    private static List<FieldError> failures(Fields fields) {
        ServiceException failure = assertThrows(ServiceException.class, fields::validate);
        assertEquals(ErrorCode.VALIDATION_FAILED, failure.error());
        return failure.details();
    }
}
