package dev.userservice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.FieldError;
import dev.userservice.json.Json;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnvelopeTest {

    /** The error table of API.md, row by row: code to HTTP status. */
    private static final Map<String, Integer> CONTRACT_ERRORS = contractErrors();

    private static Map<String, Integer> contractErrors() {
        Map<String, Integer> table = new LinkedHashMap<>();
        table.put("malformed_json", 400);
        table.put("validation_failed", 400);
        table.put("unauthorized", 401);
        table.put("invalid_credentials", 401);
        table.put("invalid_token", 401);
        table.put("forbidden", 403);
        table.put("account_disabled", 403);
        table.put("not_found", 404);
        table.put("method_not_allowed", 405);
        table.put("email_taken", 409);
        table.put("username_taken", 409);
        table.put("idempotency_conflict", 409);
        table.put("payload_too_large", 413);
        table.put("unsupported_media_type", 415);
        table.put("rate_limited", 429);
        table.put("internal_error", 500);
        table.put("service_unavailable", 503);
        return table;
    }

    @Test
    void successEnvelopeWritesExactlyTheFiveContractMembers() {
        Map<String, Object> envelope = Envelope.success("User registered", Map.of(), null);

        String json = Json.write(envelope);

        assertEquals("{\"success\":true,\"message\":\"User registered\",\"data\":{},\"error\":null,\"meta\":null}", json);
    }

    @Test
    void successEnvelopeCarriesDataAndMeta() {
        Map<String, Object> meta = Map.of("limit", 20, "has_next", false);

        Map<String, Object> envelope = Envelope.success("Devices", List.of("a"), meta);

        assertEquals(List.of("success", "message", "data", "error", "meta"), List.copyOf(envelope.keySet()));
        assertEquals(List.of("a"), envelope.get("data"));
        assertEquals(meta, envelope.get("meta"));
        assertEquals(null, envelope.get("error"));
    }

    @Test
    void validationErrorEnvelopeListsTheOffendingFields() {
        List<FieldError> details = List.of(new FieldError("email", "is required"), new FieldError("preferences.push", "must be true or false"));

        Map<String, Object> envelope = Json.parseObject(Json.write(Envelope.error(ErrorCode.VALIDATION_FAILED, "The request is invalid", details)));

        assertEquals(false, envelope.get("success"));
        assertEquals("validation_failed", envelope.get("error"));
        assertEquals(null, envelope.get("data"));
        assertEquals(null, envelope.get("meta"));
        assertEquals(List.of(
                Map.of("field", "email", "message", "is required"),
                Map.of("field", "preferences.push", "message", "must be true or false")), envelope.get("details"));
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = "VALIDATION_FAILED", mode = EnumSource.Mode.EXCLUDE)
    void otherErrorEnvelopesHaveNoDetails(ErrorCode error) {
        Map<String, Object> envelope = Envelope.error(error, error.defaultMessage(), List.of(new FieldError("ignored", "ignored")));

        assertFalse(envelope.containsKey("details"));
        assertEquals(List.of("success", "message", "data", "error", "meta"), List.copyOf(envelope.keySet()));
        assertEquals(error.code(), envelope.get("error"));
    }

    @Test
    void errorCodesMatchTheContractTableExactly() {
        Map<String, Integer> actual = Arrays.stream(ErrorCode.values())
                .collect(Collectors.toMap(ErrorCode::code, ErrorCode::status, (a, b) -> a, LinkedHashMap::new));

        assertEquals(CONTRACT_ERRORS, actual);
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyErrorCodeIsSnakeCaseWithADefaultSentence(ErrorCode error) {
        assertTrue(error.code().matches("[a-z]+(_[a-z]+)*"), error.code());
        assertFalse(error.defaultMessage().isBlank());
    }

    @Test
    void failureReplyKeepsItsDataButHasNoDetails() {
        Reply reply = Reply.failure(ErrorCode.SERVICE_UNAVAILABLE, "Service is down", Map.of("status", "down"));

        Map<String, Object> envelope = Envelope.of(reply);

        assertEquals(503, reply.status());
        assertEquals(false, envelope.get("success"));
        assertEquals("service_unavailable", envelope.get("error"));
        assertEquals(Map.of("status", "down"), envelope.get("data"));
        assertFalse(envelope.containsKey("details"));
    }

    @Test
    void standardDocumentAlsoHasItsMembersAtTheTopLevel() {
        Map<String, Object> jwks = Map.of("keys", List.of(Map.of("kid", "k1")));

        Map<String, Object> envelope = Envelope.of(Reply.standardDocument("Signing keys", jwks));

        assertEquals(jwks.get("keys"), envelope.get("keys"));
        assertEquals(jwks, envelope.get("data"));
        assertEquals(true, envelope.get("success"));
    }

    @Test
    void standardDocumentCannotOverrideEnvelopeMembers() {
        Map<String, Object> hostile = Map.of("success", false, "error", "forged", "issuer", "https://issuer");

        Map<String, Object> envelope = Envelope.of(Reply.standardDocument("Discovery", hostile));

        assertEquals(true, envelope.get("success"));
        assertEquals(null, envelope.get("error"));
        assertEquals("https://issuer", envelope.get("issuer"));
    }

    @Test
    void replyStatusesAndNoStoreHeader() {
        assertEquals(200, Reply.ok("ok", null).status());
        assertEquals(201, Reply.created("created", null).status());
        assertEquals(202, Reply.accepted("accepted").status());
        assertEquals(Map.of("Cache-Control", "no-store"), Reply.ok("tokens", null).notCached().headers());
    }
}
