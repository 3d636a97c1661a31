package dev.userservice.json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one JSON setup of the service: a strict RFC 8259 reader into plain maps, lists, strings, numbers and booleans,
 * and a writer for the same. No data binding and no reflection.
 *
 * <p>It is written here rather than taken from Jackson (which the AWS SDK carries) because every function parses its
 * event and writes its answer on its first request: Jackson's first parse costs a cold JVM about 60 ms (85 classes
 * to load and verify, and {@code BigDecimal}'s tables, which its parser base initialises), this reader about 4 ms.
 * A cached read never loads Jackson at all (docs/performance.md, entry 23).
 *
 * <p>Objects become {@code LinkedHashMap<String, Object>} (JSON null is a present key with a null value), arrays
 * {@code ArrayList<Object>}, whole numbers {@code Long} (or {@code BigInteger} beyond its range), other numbers
 * {@code BigDecimal}. Refused as malformed: anything that is not exactly one JSON value (comments, single quotes,
 * trailing commas, leading zeros, {@code NaN}, unescaped control characters, invalid UTF-8), duplicate keys, nesting
 * deeper than {@value #MAX_DEPTH} and numbers longer than {@value #MAX_NUMBER_LENGTH} characters (reading one is
 * superlinear in its digits). A leading byte order mark is skipped.
 */
public final class Json {
    public static final int MAX_DEPTH = 32;
    public static final int MAX_NUMBER_LENGTH = 100;

    private static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Json() {}

    /** Thrown for text that is not one well-formed JSON value. */
    public static final class MalformedJsonException extends RuntimeException {
        public MalformedJsonException(String message) {
            super(message);
        }
    }

    public static Object parse(String text) {
        return new Reader(text).document();
    }

    /** Parses UTF-8 bytes; a byte sequence that is not UTF-8 is malformed. */
    public static Object parse(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedJsonException("Invalid UTF-8");
        }
        return parse(text);
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

    public static String write(Object value) {
        StringBuilder out = new StringBuilder(256);
        writeValue(out, value);
        return out.toString();
    }

    public static byte[] writeBytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the value's UTF-8 text and flushes; the stream stays open. */
    public static void write(Object value, OutputStream out) {
        try {
            out.write(writeBytes(value));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeValue(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case String text -> writeString(out, text);
            case Boolean bool -> out.append(bool.booleanValue());
            case Integer number -> out.append(number.intValue());
            case Long number -> out.append(number.longValue());
            // JSON has no NaN or infinity; they are written as the strings Jackson (the writer before this one) wrote.
            case Double number when !Double.isFinite(number) -> writeString(out, number.toString());
            case Double number -> out.append(number.doubleValue());
            case BigDecimal number -> out.append(number);
            case BigInteger number -> out.append(number);
            case Instant instant -> writeString(out, Instants.format(instant));
            case JsonWritable writable -> writeValue(out, writable.toJson());
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    writeString(out, String.valueOf(entry.getKey()));
                    out.append(':');
                    writeValue(out, entry.getValue());
                }
                out.append('}');
            }
            case Iterable<?> items -> {
                out.append('[');
                boolean first = true;
                for (Object item : items) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    writeValue(out, item);
                }
                out.append(']');
            }
            case Enum<?> constant -> writeString(out, constant.name().toLowerCase(Locale.ROOT));
            default -> throw new IllegalArgumentException("Not a JSON value: " + value.getClass().getName());
        }
    }

    /**
     * Escapes what JSON requires (the quote, the backslash, control characters), a surrogate without its pair, which
     * UTF-8 cannot carry, and the noncharacters U+FFFE and U+FFFF, which SQS refuses in a message body (a user's name
     * can hold them, and an event carries it); everything else is written as it is.
     */
    private static void writeString(StringBuilder out, String text) {
        out.append('"');
        int copied = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c) && c < 0xFFFE) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            out.append(text, copied, i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF])
                        .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            }
            copied = i + 1;
        }
        out.append(text, copied, length).append('"');
    }

    /** A recursive descent over one document; its depth is bounded by {@link #MAX_DEPTH}. */
    private static final class Reader {
        private final String text;
        private int position;
        private int depth;

        Reader(String text) {
            this.text = text;
            this.position = !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? 1 : 0;
        }

        Object document() {
            skipWhitespace();
            if (position == text.length()) {
                throw new MalformedJsonException("Empty JSON document");
            }
            Object value = value();
            skipWhitespace();
            if (position != text.length()) {
                throw malformed("Unexpected content after the JSON value");
            }
            return value;
        }

        private Object value() {
            skipWhitespace();
            char c = peek();
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || isDigit(c)) {
                        yield number();
                    }
                    throw malformed("Unexpected character");
                }
            };
        }

        private Map<String, Object> object() {
            enter();
            Map<String, Object> object = new LinkedHashMap<>();
            if (!closedAt('}')) {
                do {
                    skipWhitespace();
                    if (peek() != '"') {
                        throw malformed("Expected a member name");
                    }
                    String name = string();
                    skipWhitespace();
                    expect(':');
                    if (object.containsKey(name)) {
                        throw malformed("Duplicate member name");
                    }
                    object.put(name, value());
                } while (!lastAt('}'));
            }
            depth--;
            return object;
        }

        private List<Object> array() {
            enter();
            List<Object> array = new ArrayList<>();
            if (!closedAt(']')) {
                do {
                    array.add(value());
                } while (!lastAt(']'));
            }
            depth--;
            return array;
        }

        /** Right after an opening bracket: true, past it, if the container closes at once. */
        private boolean closedAt(char close) {
            skipWhitespace();
            if (peek() != close) {
                return false;
            }
            position++;
            return true;
        }

        /** After a member or an element: true, past it, at the closing bracket; false at a comma. */
        private boolean lastAt(char close) {
            skipWhitespace();
            char c = next();
            if (c == close) {
                return true;
            }
            if (c != ',') {
                throw malformed("Expected ',' or '" + close + "'");
            }
            return false;
        }

        private void enter() {
            position++;
            if (++depth > MAX_DEPTH) {
                throw malformed("Nesting deeper than " + MAX_DEPTH);
            }
        }

        private String string() {
            int start = ++position;
            // Most strings have no escape: they are one substring of the text.
            while (position < text.length()) {
                char c = text.charAt(position);
                if (c == '"') {
                    return text.substring(start, position++);
                }
                if (c == '\\' || c < 0x20) {
                    break;
                }
                position++;
            }
            StringBuilder value = new StringBuilder(position - start + 16).append(text, start, position);
            while (true) {
                char c = next();
                if (c == '"') {
                    return value.toString();
                }
                if (c < 0x20) {
                    throw malformed("Unescaped control character in a string");
                }
                if (c != '\\') {
                    value.append(c);
                    continue;
                }
                char escaped = next();
                switch (escaped) {
                    case '"', '\\', '/' -> value.append(escaped);
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case 'u' -> value.append(hexCharacter());
                    default -> throw malformed("Invalid escape");
                }
            }
        }

        private char hexCharacter() {
            int code = 0;
            for (int i = 0; i < 4; i++) {
                char c = next();
                int digit = isDigit(c) ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                        : -1;
                if (digit < 0) {
                    throw malformed("Invalid \\u escape");
                }
                code = code << 4 | digit;
            }
            return (char) code;
        }

        private Object number() {
            int start = position;
            if (peek() == '-') {
                position++;
            }
            if (peek() == '0') {
                position++;
            } else {
                digits();
            }
            boolean whole = true;
            if (at('.')) {
                position++;
                digits();
                whole = false;
            }
            if (at('e') || at('E')) {
                position++;
                if (peek() == '+' || peek() == '-') {
                    position++;
                }
                digits();
                whole = false;
            }
            if (position - start > MAX_NUMBER_LENGTH) {
                throw malformed("Number longer than " + MAX_NUMBER_LENGTH + " characters");
            }
            String number = text.substring(start, position);
            if (!whole) {
                try {
                    return new BigDecimal(number);
                } catch (NumberFormatException e) {
                    // Within the length limit but with an exponent no BigDecimal has, such as 8e4555555555555555555.
                    throw malformed("Unreadable number");
                }
            }
            // 18 digits always fit a long; longer ones may not.
            if (number.length() <= 18) {
                return Long.parseLong(number);
            }
            BigInteger big = new BigInteger(number);
            return big.bitLength() < Long.SIZE ? (Object) big.longValue() : big;
        }

        private void digits() {
            if (!isDigit(peek())) {
                throw malformed("Expected a digit");
            }
            do {
                position++;
            } while (position < text.length() && isDigit(text.charAt(position)));
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, position)) {
                throw malformed("Unexpected character");
            }
            position += word.length();
            return value;
        }

        private void skipWhitespace() {
            while (position < text.length()) {
                char c = text.charAt(position);
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return;
                }
                position++;
            }
        }

        private void expect(char expected) {
            if (next() != expected) {
                throw malformed("Expected '" + expected + "'");
            }
        }

        /** Whether the next character is {@code expected}; false at the end of the document. */
        private boolean at(char expected) {
            return position < text.length() && text.charAt(position) == expected;
        }

        private char peek() {
            if (position >= text.length()) {
                throw malformed("Unexpected end of the document");
            }
            return text.charAt(position);
        }

        private char next() {
            char c = peek();
            position++;
            return c;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private MalformedJsonException malformed(String problem) {
            return new MalformedJsonException(problem + " at character " + position);
        }
    }
}
