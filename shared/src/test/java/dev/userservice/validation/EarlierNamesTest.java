package dev.userservice.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import dev.userservice.json.JsonWritable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The earlier services' names in the validation kernel: synonyms, superseded fields, confirmations, read-only echoes. */
class EarlierNamesTest {

    @Test
    void aSynonymIsReadAsItsCanonicalField() {
        Fields fields = Fields.of(body("{\"full_name\": \" Alice \"}")).synonym("name", "full_name");

        String name = fields.required("name", 100, Text::name);
        fields.validate();

        assertEquals("Alice", name);
    }

    @Test
    void aBadValueSentUnderASynonymIsReportedUnderTheNameSent() {
        Fields fields = Fields.of(body("{\"full_name\": \"  \"}")).synonym("name", "full_name");

        fields.required("name", 100, Text::name);

        assertEquals(List.of(new FieldError("full_name", "must not be blank")), failures(fields));
    }

    @Test
    void aSynonymAndItsFieldWithTheSameValueAreOneValue() {
        Fields fields = Fields.of(body("{\"refresh\": \"abc\", \"refresh_token\": \"abc\"}")).synonym("refresh_token", "refresh");

        String token = fields.requiredString("refresh_token", 10);
        fields.validate();

        assertEquals("abc", token);
    }

    @Test
    void aSynonymAndItsFieldWithDifferentValuesAreRefused() {
        Fields fields = Fields.of(body("{\"refresh\": \"abc\", \"refresh_token\": \"xyz\"}")).synonym("refresh_token", "refresh");

        fields.requiredString("refresh_token", 10);

        assertEquals(List.of(new FieldError("refresh",
                "differs from refresh_token, which means the same: send one of them")), failures(fields));
    }

    /** A null is no value (api.md), under either name: it neither conflicts with the other nor stands for it. */
    @Test
    void aNullUnderEitherNameIsNoValue() {
        Fields withNullSynonym = Fields.of(body("{\"full_name\": null, \"name\": \"Alice\"}")).synonym("name", "full_name");
        Fields withNullCanonical = Fields.of(body("{\"full_name\": \"Alice\", \"name\": null}")).synonym("name", "full_name");

        assertEquals("Alice", withNullSynonym.required("name", 100, Text::name));
        assertEquals("Alice", withNullCanonical.required("name", 100, Text::name));
        withNullSynonym.validate();
        withNullCanonical.validate();
    }

    @Test
    void withoutTheSynonymDeclaredTheEarlierNameIsUnknown() {
        Fields fields = Fields.of(body("{\"refresh\": \"abc\"}"));

        fields.optionalString("refresh_token", 10);

        assertEquals(List.of(FieldError.unknown("refresh")), failures(fields));
    }

    @Test
    void aSupersededFieldIsRefusedWithWhatToSendInstead() {
        Fields fields = Fields.of(body("{\"notification_type\": \"email\"}"))
                .superseded("notification_type", "the channel in the path");

        assertEquals(List.of(new FieldError("notification_type", "is not used by this service: use the channel in the path instead")),
                failures(fields));
    }

    @Test
    void aSupersededFieldNotSentIsNoProblem() {
        Fields fields = Fields.of(body("{}")).superseded("location", "attributes");

        fields.validate();
    }

    @Test
    void aConfirmationEqualToTheValuePasses() {
        Fields fields = Fields.of(body("{\"new_password\": \"pw-1234567\", \"confirm_password\": \"pw-1234567\"}"));

        String password = fields.requiredString("new_password", 256);
        fields.confirmation("confirm_password", "new_password", password);
        fields.validate();

        assertEquals("pw-1234567", password);
    }

    @Test
    void aConfirmationThatDiffersIsRefusedNamingBothFields() {
        Fields fields = Fields.of(body("{\"new_password\": \"pw-1234567\", \"confirm_password\": \"pw-7654321\"}"));

        fields.confirmation("confirm_password", "new_password", fields.requiredString("new_password", 256));

        assertEquals(List.of(new FieldError("confirm_password", "must be the same as new_password")), failures(fields));
    }

    @Test
    void aConfirmationIsOptionalAndMustBeAString() {
        Fields absent = Fields.of(body("{\"password\": \"pw\"}"));
        absent.confirmation("confirm_password", "password", absent.requiredString("password", 256));
        absent.validate();

        Fields number = Fields.of(body("{\"password\": \"pw\", \"confirm_password\": 5}"));
        number.confirmation("confirm_password", "password", number.requiredString("password", 256));
        assertEquals(List.of(new FieldError("confirm_password", "must be a string")), failures(number));
    }

    @Test
    void readOnlyFieldsSentBackUnchangedAreAccepted() {
        Fields fields = Fields.of(body("{\"id\": \"u-1\", \"created_at\": \"2025-01-15T09:00:00Z\", \"name\": \"A\"}"));

        ReadOnlyFields readOnly = fields.readOnly("id", "created_at", "updated_at");
        fields.optionalString("name", 10);
        fields.validate();
        readOnly.requireUnchanged(STORED);

        assertEquals(Map.of("id", "u-1", "created_at", "2025-01-15T09:00:00Z"), readOnly.sent());
    }

    @Test
    void readOnlyFieldsSentBackChangedAreRefusedByName() {
        Fields fields = Fields.of(body("{\"updated_at\": \"2030-01-01T00:00:00Z\", \"id\": \"u-2\", \"verified\": true}"));
        ReadOnlyFields readOnly = fields.readOnly("id", "updated_at", "verified");
        fields.validate();

        ServiceException refused = assertThrows(ServiceException.class, () -> readOnly.requireUnchanged(STORED));

        assertEquals(ErrorCode.VALIDATION_FAILED, refused.error());
        assertEquals(List.of(
                new FieldError("id", "is read-only: send it as stored or leave it out"),
                new FieldError("updated_at", "is read-only: send it as stored or leave it out")), refused.details());
    }

    @Test
    void readOnlyFieldsNotDeclaredStayUnknown() {
        Fields fields = Fields.of(body("{\"id\": \"u-1\"}"));

        fields.readOnly("created_at");

        assertEquals(List.of(FieldError.unknown("id")), failures(fields));
    }

    @Test
    void theSynonymsOfANestedObjectAreReportedByPath() {
        Fields fields = Fields.of(body("{\"preferences\": {\"email_enabled\": 1}}"));
        Optional<Fields> preferences = fields.optionalObject("preferences");

        preferences.orElseThrow().synonym("email", "email_enabled").optionalBoolean("email");

        assertEquals(List.of(new FieldError("preferences.email_enabled", "must be true or false")), failures(fields));
    }

    /** A stored object as clients see it: its instants written as ISO-8601 text. */
    private static final JsonWritable STORED = () -> Map.of("id", "u-1", "created_at", java.time.Instant.parse("2025-01-15T09:00:00Z"),
            "updated_at", java.time.Instant.parse("2025-01-16T09:00:00Z"), "verified", true);

    private static Map<String, Object> body(String json) {
        return Json.parseObject(json);
    }

    private static List<FieldError> failures(Fields fields) {
        ServiceException failure = assertThrows(ServiceException.class, fields::validate);
        assertEquals(ErrorCode.VALIDATION_FAILED, failure.error());
        return failure.details();
    }
}
