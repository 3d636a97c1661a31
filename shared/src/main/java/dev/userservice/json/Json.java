package dev.userservice.json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParseException;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;
import software.amazon.awssdk.thirdparty.jackson.core.StreamReadConstraints;
import software.amazon.awssdk.thirdparty.jackson.core.StreamReadFeature;
import software.amazon.awssdk.thirdparty.jackson.core.exc.StreamConstraintsException;

/**
 * The one JSON setup of the service: a streaming parser into plain maps, lists, strings, numbers and booleans,
 * and a writer for the same. No data binding and no reflection, so it costs next to nothing at cold start.
 *
 * <p>Objects become {@code LinkedHashMap<String, Object>} (JSON null is a present key with a null value), arrays
 * {@code ArrayList<Object>}, whole numbers {@code Long} (or {@code BigInteger}), other numbers {@code BigDecimal}.
 * Duplicate keys and nesting deeper than {@value #MAX_DEPTH} are rejected as malformed.
 */
public final class Json {
    public static final int MAX_DEPTH = 32;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(100)
                    // Above Lambda's 6 MB payload limit, so any event parses and an oversized body gets its 413.
                    .maxStringLength(8_000_000)
                    .build())
            .build();

    private Json() {}

    /** Thrown for text that is not one well-formed JSON value. */
    public static final class MalformedJsonException extends RuntimeException {
        public MalformedJsonException(String message) {
            super(message);
        }
    }

    public static Object parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    public static Object parse(byte[] bytes) {
        try (JsonParser parser = FACTORY.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new MalformedJsonException("Empty JSON document");
            }
            Object value = readValue(parser, first);
            if (parser.nextToken() != null) {
                throw new MalformedJsonException("Unexpected content after the JSON value");
            }
            return value;
        } catch (JsonParseException | StreamConstraintsException e) {
            throw new MalformedJsonException(e.getOriginalMessage());
        } catch (NumberFormatException e) {
            // A number within the length limit whose value has no BigDecimal, such as 8e455555555555555555555555555.
            throw new MalformedJsonException("Unreadable number");
        } catch (IOException e) {
            throw new MalformedJsonException("Unreadable JSON");
        }
    }

    /** Parses a document that must be a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new MalformedJsonException("Expected a JSON object");
    }

    private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
                    String name = parser.currentName();
                    object.put(name, readValue(parser, parser.nextToken()));
                }
                yield object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    array.add(readValue(parser, next));
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
            default -> throw new MalformedJsonException("Unexpected token " + token);
        };
    }

    public static String write(Object value) {
        return new String(writeBytes(value), StandardCharsets.UTF_8);
    }

    public static byte[] writeBytes(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(value, out);
        return out.toByteArray();
    }

    public static void write(Object value, OutputStream out) {
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            writeValue(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeValue(JsonGenerator generator, Object value) throws IOException {
        switch (value) {
            case null -> generator.writeNull();
            case String text -> generator.writeString(text);
            case Boolean bool -> generator.writeBoolean(bool);
            case Integer number -> generator.writeNumber(number);
            case Long number -> generator.writeNumber(number);
            case Double number -> generator.writeNumber(number);
            case BigDecimal number -> generator.writeNumber(number);
            case BigInteger number -> generator.writeNumber(number);
            case Instant instant -> generator.writeString(Instants.format(instant));
            case JsonWritable writable -> writeValue(generator, writable.toJson());
            case Map<?, ?> map -> {
                generator.writeStartObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    generator.writeFieldName(String.valueOf(entry.getKey()));
                    writeValue(generator, entry.getValue());
                }
                generator.writeEndObject();
            }
            case Iterable<?> items -> {
                generator.writeStartArray();
                for (Object item : items) {
                    writeValue(generator, item);
                }
                generator.writeEndArray();
            }
            case Enum<?> constant -> generator.writeString(constant.name().toLowerCase(java.util.Locale.ROOT));
            default -> throw new IllegalArgumentException("Not a JSON value: " + value.getClass().getName());
        }
    }
}
