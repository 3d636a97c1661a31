package dev.userservice.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;
import software.amazon.awssdk.thirdparty.jackson.core.StreamReadConstraints;
import software.amazon.awssdk.thirdparty.jackson.core.StreamReadFeature;
import software.amazon.awssdk.thirdparty.jackson.core.json.JsonWriteFeature;

/**
 * {@link Json} against Jackson's streaming core, configured as the service's JSON was before it had its own reader
 * (strict duplicate detection, the same depth limit): on random documents both must write the same text, read the
 * same values, and, on random edits of those documents, refuse the same ones. Jackson comes with the AWS SDK. One
 * difference is on purpose: a character beyond the Basic Multilingual Plane is written as itself, as Jackson does with
 * {@code COMBINE_UNICODE_SURROGATES_IN_UTF8}; by default Jackson escapes each half of its surrogate pair, which reads
 * the same.
 */
class JsonAgainstJacksonTest {
    private static final JsonFactory JACKSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Json.MAX_DEPTH).build())
            .build();
    private static final String EDITS = "{}[]\",:0123456789-+.eEtrufalsn \t\n\r\\/u\u0001xé";

    @Test
    void writesWhatJacksonWrites() {
        Random random = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            Object value = randomValue(random, 0);

            assertEquals(jacksonWrite(value), Json.write(value), () -> "for " + value);
        }
    }

    @Test
    void readsWhatJacksonReadsFromAnySpellingOfADocument() {
        Random random = new Random(2);
        for (int i = 0; i < 20_000; i++) {
            String text = spelled(randomValue(random, 0), random);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

            assertEquals(jacksonParse(bytes), Json.parse(bytes), () -> "for " + text);
        }
    }

    @Test
    void refusesWhatJacksonRefuses() {
        Random random = new Random(3);
        int refused = 0;
        for (int i = 0; i < 100_000; i++) {
            StringBuilder text = new StringBuilder(spelled(randomValue(random, 0), random));
            for (int edit = 1 + random.nextInt(3); edit > 0; edit--) {
                int at = random.nextInt(text.length() + 1);
                char c = EDITS.charAt(random.nextInt(EDITS.length()));
                switch (random.nextInt(3)) {
                    case 0 -> text.insert(at, c);
                    case 1 -> { if (at < text.length()) text.deleteCharAt(at); }
                    default -> { if (at < text.length()) text.setCharAt(at, c); }
                }
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            Object expected = outcome(() -> jacksonParse(bytes));
            Object actual = outcome(() -> Json.parse(bytes));
            if (!Objects.equals(expected, actual)) {
                fail("for " + text + ": Jackson " + expected + ", Json " + actual);
            }
            refused += expected == Refused.REFUSED ? 1 : 0;
        }
        // Most random edits break a document; the comparison means something only if both outcomes occur often.
        assertEquals(true, refused > 50_000 && refused < 99_000, "refused " + refused);
    }

    private enum Refused { REFUSED }

    private static Object outcome(Supplier<Object> parse) {
        try {
            return parse.get();
        } catch (Json.MalformedJsonException e) {
            return Refused.REFUSED;
        }
    }

    private static Object randomValue(Random random, int depth) {
        int kind = random.nextInt(depth >= 5 ? 7 : 9);
        return switch (kind) {
            case 0, 1 -> randomString(random);
            case 2 -> random.nextBoolean();
            case 3 -> null;
            case 4 -> switch (random.nextInt(4)) {
                case 0 -> (long) random.nextInt(100);
                case 1 -> random.nextLong();
                case 2 -> random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
                default -> new BigInteger(64 + random.nextInt(60), random).add(BigInteger.valueOf(Long.MAX_VALUE)).add(BigInteger.ONE);
            };
            case 5 -> new BigDecimal(new BigInteger(1 + random.nextInt(80), random), random.nextInt(40) - 20)
                    .negate().multiply(BigDecimal.valueOf(random.nextBoolean() ? 1 : -1));
            case 6 -> switch (random.nextInt(8)) {
                case 0 -> List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE)
                        .get(random.nextInt(5));
                default -> (random.nextBoolean() ? 1 : -1) * random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            };
            case 7 -> {
                Map<String, Object> object = new LinkedHashMap<>();
                for (int n = random.nextInt(5); n > 0; n--) {
                    object.put(randomString(random), randomValue(random, depth + 1));
                }
                yield object;
            }
            default -> {
                List<Object> array = new ArrayList<>();
                for (int n = random.nextInt(5); n > 0; n--) {
                    array.add(randomValue(random, depth + 1));
                }
                yield array;
            }
        };
    }

    private static final String[] PIECES = {"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\r", "\b", "\f", "\u0000", "\u001f", "\u007f",
        "é", "€", "\u2028", "🔐", "\uFEFF", "'", "{", "]", ":", ","};

    private static String randomString(Random random) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(8); n > 0; n--) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    /** The value as JSON text, with random whitespace, escapes and spellings of its numbers. */
    private static String spelled(Object value, Random random) {
        StringBuilder out = new StringBuilder();
        spell(value, random, out);
        return out.toString();
    }

    private static void spell(Object value, Random random, StringBuilder out) {
        whitespace(random, out);
        switch (value) {
            case null -> out.append("null");
            case String text -> spellString(text, random, out);
            case Boolean bool -> out.append(bool);
            case Double number when !Double.isFinite(number) -> spellString(number.toString(), random, out);
            case BigDecimal number -> out.append(random.nextBoolean() ? number.toString()
                    : number.toString().replace("E+", random.nextBoolean() ? "e" : "E+").replace("E-", "e-"));
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(first ? "" : ",");
                    first = false;
                    whitespace(random, out);
                    spellString((String) entry.getKey(), random, out);
                    whitespace(random, out);
                    out.append(':');
                    spell(entry.getValue(), random, out);
                    whitespace(random, out);
                }
                whitespace(random, out);
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "" : ",");
                    spell(list.get(i), random, out);
                    whitespace(random, out);
                }
                whitespace(random, out);
                out.append(']');
            }
            default -> out.append(value);
        }
        whitespace(random, out);
    }

    private static void spellString(String text, Random random, StringBuilder out) {
        out.append('"');
        for (char c : text.toCharArray()) {
            boolean mustEscape = c < 0x20 || c == '"' || c == '\\';
            if (mustEscape || random.nextInt(8) == 0) {
                String hex = String.format("%04x", (int) c);
                out.append("\\u").append(random.nextBoolean() ? hex : hex.toUpperCase());
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private static void whitespace(Random random, StringBuilder out) {
        if (random.nextInt(4) == 0) {
            out.append(" \t\n\r".charAt(random.nextInt(4)));
        }
    }

    private static Object jacksonParse(byte[] bytes) {
        try (JsonParser parser = JACKSON.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new Json.MalformedJsonException("empty");
            }
            Object value = jacksonValue(parser, first);
            if (parser.nextToken() != null) {
                throw new Json.MalformedJsonException("trailing");
            }
            return value;
        } catch (IOException | NumberFormatException e) {
            throw new Json.MalformedJsonException(e.getMessage());
        }
    }

    private static Object jacksonValue(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
                    String name = parser.currentName();
                    object.put(name, jacksonValue(parser, parser.nextToken()));
                }
                yield object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    array.add(jacksonValue(parser, next));
                }
                yield array;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? parser.getBigIntegerValue()
                    : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new Json.MalformedJsonException("token " + token);
        };
    }

    private static String jacksonWrite(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = JACKSON.createGenerator(out)) {
            jacksonWriteValue(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void jacksonWriteValue(JsonGenerator generator, Object value) throws IOException {
        switch (value) {
            case null -> generator.writeNull();
            case String text -> generator.writeString(text);
            case Boolean bool -> generator.writeBoolean(bool);
            case Long number -> generator.writeNumber(number);
            case Double number -> generator.writeNumber(number);
            case BigDecimal number -> generator.writeNumber(number);
            case BigInteger number -> generator.writeNumber(number);
            case Map<?, ?> map -> {
                generator.writeStartObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    generator.writeFieldName((String) entry.getKey());
                    jacksonWriteValue(generator, entry.getValue());
                }
                generator.writeEndObject();
            }
            case List<?> list -> {
                generator.writeStartArray();
                for (Object item : list) {
                    jacksonWriteValue(generator, item);
                }
                generator.writeEndArray();
            }
            default -> throw new IllegalArgumentException(value.getClass().getName());
        }
    }
}
