package dev.userservice.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void valuesSurviveARoundTrip() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("name", "Zoë 🔐 \"quoted\" \\ back\nslash");
        document.put("count", 42L);
        document.put("ratio", new BigDecimal("0.125"));
        document.put("active", true);
        document.put("phone", null);
        document.put("tags", List.of("a", 1L, false));
        document.put("nested", Map.of("deep", List.of(Map.of("x", -7L))));

        Object parsed = Json.parse(Json.write(document));

        assertEquals(document, parsed);
    }

    @Test
    void objectKeepsItsMemberOrder() {
        Map<String, Object> parsed = Json.parseObject("{\"z\":1,\"a\":2,\"m\":3}");

        assertEquals(List.of("z", "a", "m"), List.copyOf(parsed.keySet()));
    }

    @Test
    void jsonNullIsAPresentKeyWithANullValue() {
        Map<String, Object> parsed = Json.parseObject("{\"phone\":null}");

        assertEquals(true, parsed.containsKey("phone"));
        assertEquals(null, parsed.get("phone"));
    }

    @Test
    void instantsEnumsAndWritablesAreWrittenAsTheContractSpellsThem() {
        JsonWritable writable = () -> Map.of("kind", "custom");
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("created_at", Instant.parse("2025-01-15T10:00:00Z"));
        document.put("status", Thread.State.TIMED_WAITING);
        document.put("custom", writable);

        assertEquals("{\"created_at\":\"2025-01-15T10:00:00Z\",\"status\":\"timed_waiting\",\"custom\":{\"kind\":\"custom\"}}",
                Json.write(document));
    }

    @Test
    void unsupportedValueIsRefusedWhenWriting() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("x", new Object())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,\"a\":2}", "{\"a\":1,\"b\":{\"c\":1,\"c\":1}}", "[{\"k\":true,\"k\":false}]"})
    void duplicateKeysAreMalformed(String text) {
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse(text));
    }

    @Test
    void nestingOfExactlyMaxDepthIsAccepted() {
        Object parsed = Json.parse(nestedArrays(Json.MAX_DEPTH));

        assertInstanceOf(List.class, parsed);
    }

    @Test
    void nestingDeeperThanMaxDepthIsMalformed() {
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse(nestedArrays(Json.MAX_DEPTH + 1)));
    }

    @Test
    void deeplyNestedObjectsAreMalformedRatherThanOverflowingTheStack() {
        String bomb = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);

        assertThrows(Json.MalformedJsonException.class, () -> Json.parse(bomb));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} x", "{}{}", "{\"a\":1} ,", "1 2", "[] ]", "\"a\" \"b\""})
    void trailingContentIsMalformed(String text) {
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{\"a\"}", "{a:1}", "[1,]", "{\"a\":1,}", "NaN", "01", "'x'", "{\"a\":undefined}"})
    void textThatIsNotOneJsonValueIsMalformed(String text) {
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse(text));
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        assertThrows(Json.MalformedJsonException.class, () -> Json.parse(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"C0AF", "E080AF", "EDA080", "F4908080", "E282", "FF"})
    void utf8ThatIsOverlongASurrogateOrCutShortIsMalformed(String hex) {
        byte[] inner = java.util.HexFormat.of().parseHex(hex);
        byte[] bytes = new byte[inner.length + 2];
        bytes[0] = '"';
        System.arraycopy(inner, 0, bytes, 1, inner.length);
        bytes[bytes.length - 1] = '"';

        assertThrows(Json.MalformedJsonException.class, () -> Json.parse(bytes));
    }

    @Test
    void aLeadingByteOrderMarkIsSkipped() {
        byte[] bytes = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '[', '1', ']'};

        assertEquals(List.of(1L), Json.parse(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\u\u0661\u0662\u0663\u0664\"", "\"\\u\uFF21BCD\"", "\"\\u12\"", "\"\\x41\""})
    void onlyAsciiHexDigitsMakeAUnicodeEscape(String text) {
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse(text));
    }

    @Test
    void aSurrogateWithoutItsPairIsWrittenEscapedAndReadBack() {
        String lone = "a\ud800b\udc00";

        String written = Json.write(lone);

        assertEquals("\"a\\uD800b\\uDC00\"", written);
        assertEquals(lone, Json.parse(Json.writeBytes(lone)));
    }

    @Test
    void theNoncharactersThatSqsRefusesAreWrittenEscapedAndReadBack() {
        String name = "Bob\uFFFE\uFFFF\uFFFD";

        assertEquals("\"Bob\\uFFFE\\uFFFF\uFFFD\"", Json.write(name));
        assertEquals(name, Json.parse(Json.writeBytes(name)));
    }

    @Test
    void numbersUpToTheLengthLimitAreRead() {
        String longest = "0." + "1".repeat(Json.MAX_NUMBER_LENGTH - 2);

        assertEquals(new BigDecimal(longest), Json.parse(longest));
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse(longest + "1"));
    }

    @Test
    void writingToAStreamLeavesItOpen() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream() {
            @Override
            public void close() {
                throw new AssertionError("closed");
            }
        };

        Json.write(Map.of("a", 1L), out);

        assertEquals("{\"a\":1}", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void parseObjectRefusesOtherValues() {
        assertThrows(Json.MalformedJsonException.class, () -> Json.parseObject("[1,2]"));
        assertThrows(Json.MalformedJsonException.class, () -> Json.parseObject("null"));
    }

    @Test
    void wholeNumbersAreLongsUpToLongRange() {
        assertEquals(Long.MAX_VALUE, Json.parse(Long.toString(Long.MAX_VALUE)));
        assertEquals(Long.MIN_VALUE, Json.parse(Long.toString(Long.MIN_VALUE)));
        assertEquals(7L, Json.parse("7"));
    }

    @Test
    void bigWholeNumbersKeepEveryDigit() {
        String digits = "123456789012345678901234567890123456789";

        Object parsed = Json.parse(digits);

        assertEquals(new BigInteger(digits), parsed);
        assertEquals(digits, Json.write(parsed));
    }

    @Test
    void fractionsAndExponentsAreExactDecimals() {
        assertEquals(new BigDecimal("0.1"), Json.parse("0.1"));
        assertEquals(new BigDecimal("1E+400"), Json.parse("1e400"));
        assertEquals(new BigDecimal("-2.5E-300"), Json.parse("-2.5e-300"));
    }

    @Test
    void absurdlyLongNumberIsMalformedRatherThanParsed() {
        // Parsing a number is superlinear in its digits; a thousand-digit one is an attack, not data.
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse("9".repeat(1_000)));
    }

    @Test
    void escapedUnicodeIsDecoded() {
        assertEquals("é🔐", Json.parse("\"\\u00e9\\ud83d\\udd10\""));
    }

    @Test
    void bytesAndStringFormsAgree() {
        String text = "{\"name\":\"Zoë\"}";

        assertEquals(Json.parse(text), Json.parse(text.getBytes(StandardCharsets.UTF_8)));
        assertEquals(text, new String(Json.writeBytes(Json.parse(text)), StandardCharsets.UTF_8));
    }

    private static String nestedArrays(int depth) {
        char[] open = new char[depth];
        char[] close = new char[depth];
        Arrays.fill(open, '[');
        Arrays.fill(close, ']');
        return new String(open) + new String(close);
    }
}
