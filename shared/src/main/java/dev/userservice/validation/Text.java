package dev.userservice.validation;

import java.net.IDN;
import java.text.Normalizer;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * Formats of the contract, each a parser that returns the normalised value or throws
 * {@link IllegalArgumentException} with the sentence to show the client.
 */
public final class Text {
    /** Unicode-aware, so no kind of space or control character passes inside an address. */
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}.]+(\\.[^@\\s\\p{Cntrl}.]+)+$",
            Pattern.UNICODE_CHARACTER_CLASS);
    /** Format characters: zero-width spaces and joiners, bidirectional marks and overrides. */
    private static final Pattern INVISIBLE = Pattern.compile("\\p{Cf}");
    /** Leading and trailing spaces of any kind, including the no-break spaces a paste brings along. */
    private static final Pattern OUTER_SPACE = Pattern.compile("^[\\s\\p{Z}]+|[\\s\\p{Z}]+$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final String NOT_A_TIMEZONE = "must be an IANA time zone such as Europe/Berlin";
    private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{1,14}$");
    /**
     * A handle: letters (with their combining marks, as Hindi and Thai write them), digits and {@code . _ + -}; never
     * an {@code @}, so it can never be taken for an email.
     */
    private static final Pattern USERNAME = Pattern.compile("^[\\p{L}\\p{N}._+-][\\p{L}\\p{M}\\p{N}._+-]*$");
    /** Unicode's 66 noncharacters: U+FDD0 to U+FDEF, and the last two code points of each of the 17 planes. */
    private static final String NONCHARACTERS = "\\uFDD0-\\uFDEF\\uFFFE\\uFFFF"
            + "\\x{1FFFE}\\x{1FFFF}\\x{2FFFE}\\x{2FFFF}\\x{3FFFE}\\x{3FFFF}\\x{4FFFE}\\x{4FFFF}\\x{5FFFE}\\x{5FFFF}\\x{6FFFE}\\x{6FFFF}"
            + "\\x{7FFFE}\\x{7FFFF}\\x{8FFFE}\\x{8FFFF}\\x{9FFFE}\\x{9FFFF}\\x{AFFFE}\\x{AFFFF}\\x{BFFFE}\\x{BFFFF}\\x{CFFFE}\\x{CFFFF}"
            + "\\x{DFFFE}\\x{DFFFF}\\x{EFFFE}\\x{EFFFF}\\x{FFFFE}\\x{FFFFF}\\x{10FFFE}\\x{10FFFF}";
    /**
     * Characters that show as nothing: format characters (zero-width spaces, bidirectional marks, tags), the marks
     * that only select a variant or join graphemes, the Hangul fillers and the braille blank (letters and symbols
     * that draw as a blank), and noncharacters.
     */
    private static final String INVISIBLE_CHARACTERS = "\\p{Cf}\\u034F\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u2800\\u3164"
            + "\\uFE00-\\uFE0F\\uFFA0\\x{E0100}-\\x{E01EF}" + NONCHARACTERS;
    private static final Pattern BLANK_LOOKING = Pattern.compile("[" + INVISIBLE_CHARACTERS + "]");
    private static final Pattern SOMETHING_VISIBLE = Pattern.compile("[^\\s\\p{Z}" + INVISIBLE_CHARACTERS + "]",
            Pattern.UNICODE_CHARACTER_CLASS);
    /**
     * The controls that turn text around (embeddings, overrides, isolates: "nimda" after a U+202E shows as "admin"), and
     * noncharacters, which no text holds.
     */
    private static final Pattern NOT_IN_NAMES = Pattern.compile("[\\u202A-\\u202E\\u2066-\\u2069" + NONCHARACTERS + "]");
    /**
     * RFC 5322's atext and any letter or digit (an internationalised address), and dots: anywhere, as the Japanese
     * carriers' older addresses ({@code taro..yamada@docomo.ne.jp}) have them and their mailers deliver to them.
     */
    private static final Pattern LOCAL_PART = Pattern.compile("^[\\p{L}\\p{M}\\p{N}!#$%&'*+/=?^_`{|}~.-]+$");
    public static final int USERNAME_MAX_LENGTH = 150;
    /** A display name's limit ({@link #name}): a person's, a device's. */
    public static final int NAME_MAX_LENGTH = 100;
    private static final Pattern ID = Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    public static final int EMAIL_MAX_LENGTH = 254;

    private Text() {}

    /**
     * Trimmed, folded to one form and lower-cased, as emails are stored and compared, so that lookalikes are one
     * address: compatibility forms fold (fullwidth letters are the ASCII ones), a punycode domain is the Unicode one
     * it encodes, and invisible or direction-changing characters (zero-width spaces, bidirectional overrides) are
     * refused rather than kept, since nobody can tell them apart on screen.
     */
    public static String email(String value) {
        String trimmed = OUTER_SPACE.matcher(value).replaceAll("");
        String email = Normalizer.normalize(trimmed, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        if (email.length() > EMAIL_MAX_LENGTH || !EMAIL.matcher(email).matches() || INVISIBLE.matcher(email).find()) {
            throw new IllegalArgumentException("must be a valid email address");
        }
        int at = email.indexOf('@');
        String canonical = email.substring(0, at + 1) + unicodeDomain(email.substring(at + 1));
        if (canonical.length() > EMAIL_MAX_LENGTH) {
            throw new IllegalArgumentException("must be a valid email address");
        }
        return canonical;
    }

    /**
     * The domain as IDNA reads it, in Unicode: {@code xn--bcher-kva.example} and {@code bücher.example} are one. The
     * JDK's IDNA is that of 2003, which reads {@code ß} as {@code ss} and {@code ς} as {@code σ}, where registries
     * (IDNA 2008) keep them: {@code straße.de} would become {@code strasse.de}, another domain, with its owner
     * receiving this account's mail. Such a domain is refused in Unicode; its punycode form is kept as written.
     */
    private static String unicodeDomain(String domain) {
        if (domain.indexOf('\u00df') >= 0 || domain.indexOf('\u03c2') >= 0) {
            throw new IllegalArgumentException("must be a valid email address; write a domain with \u00df or \u03c2 in its xn-- form");
        }
        try {
            return IDN.toUnicode(IDN.toASCII(domain)).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be a valid email address");
        }
    }

    /**
     * A display name as stored (a device's too): 1 to {@value #NAME_MAX_LENGTH} characters, trimmed of any kind of
     * space, no control characters. The limit is counted after NFC, as {@link #email} and {@link #username} count
     * theirs after their folding: it lengthens a few characters (U+FB2C is three).
     */
    public static String name(String value) {
        String name = Normalizer.normalize(OUTER_SPACE.matcher(value).replaceAll(""), Normalizer.Form.NFC);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("must not be blank");
        }
        if (name.codePointCount(0, name.length()) > NAME_MAX_LENGTH) {
            throw new IllegalArgumentException("must be at most " + NAME_MAX_LENGTH + " characters");
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("must not contain control characters");
        }
        return name;
    }

    /**
     * A person's name as an account takes it: {@link #name}, with something visible in it, and no control that turns
     * the text around: other users see names in search results, where a name that shows as nothing, or one an
     * override reverses, would pass for another. The marks a script or a pasted name carries (a right-to-left mark,
     * the joiners of emoji and of Indic and Persian writing) are kept.
     */
    public static String chosenName(String value) {
        String name = name(value);
        if (!SOMETHING_VISIBLE.matcher(name).find()) {
            throw new IllegalArgumentException("must not be blank");
        }
        return keptTheRightWayRound(name);
    }

    /**
     * Free text of a profile, which other users read (a bio, a title, a location): no control characters (but line
     * breaks and tabs where {@code lines}, as a bio has them, and one line, without U+2028 or U+2029, where not) and,
     * as in {@link #chosenName}, no control that turns the text around: an override in a title would show
     * "Support Admin" for what is stored reversed.
     */
    public static String shownText(String value, boolean lines) {
        if (value.codePoints().anyMatch(c -> lines ? Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t'
                : Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
            throw new IllegalArgumentException(lines ? "must not contain control characters other than line breaks and tabs"
                    : "must be one line, without control characters");
        }
        return keptTheRightWayRound(value);
    }

    /** {@code text}, which others read, refused if it holds a control that turns it around, or a noncharacter. */
    private static String keptTheRightWayRound(String text) {
        if (NOT_IN_NAMES.matcher(text).find()) {
            throw new IllegalArgumentException("must not contain direction-changing characters or noncharacters");
        }
        return text;
    }

    /**
     * A username as the earlier services had them: trimmed and NFKC-folded (fullwidth letters are the ASCII ones),
     * 1 to 150 letters, digits and {@code . _ + -}. Kept as typed; {@link #usernameKey} is how it is compared.
     */
    public static String username(String value) {
        String username = Normalizer.normalize(OUTER_SPACE.matcher(value).replaceAll(""), Normalizer.Form.NFKC);
        if (username.isEmpty() || username.codePointCount(0, username.length()) > USERNAME_MAX_LENGTH
                || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("must be 1 to " + USERNAME_MAX_LENGTH
                    + " letters, digits, dots, underscores, plus or minus signs (no @)");
        }
        return username;
    }

    /**
     * A username an account takes: {@link #username}, and one that cannot pass for another's on screen: nothing that
     * shows as nothing ({@link #BLANK_LOOKING}), and one script (Latin, Cyrillic, ...; the Han characters may join
     * Japanese kana, Korean Hangul or Bopomofo, and Latin may join those, as those languages write), so that {@code аlice} with a Cyrillic
     * {@code а} is refused rather than taken beside {@code alice}. Signing in looks a username up with
     * {@link #username} alone, so a username taken before these rules still signs in.
     */
    public static String chosenUsername(String value) {
        String username = username(value);
        if (BLANK_LOOKING.matcher(username).find() || !oneScript(username)) {
            throw new IllegalArgumentException("must be written in one script, without invisible characters");
        }
        if (passesForLatin(username)) {
            throw new IllegalArgumentException("must not pass for a Latin username in letters that look like Latin ones"
                    + " (such as Cyrillic \u0430 \u043e \u0440, Greek \u03bf, or the phonetic \u0251 \u0261)");
        }
        return username;
    }

    /**
     * Letters that show as a Latin letter in common fonts, from UTS #39's confusables: Cyrillic, Greek and Armenian
     * ones in either case, and the phonetic letters of the Latin script that pass for a, g and i. Turkish dotless
     * {@code ı} and dotted {@code İ} are not among them: they are letters of a language's names.
     */
    private static final String LATIN_LOOKALIKES =
            "\u0430\u0441\u0501\u0435\u04bb\u0456\u0458\u04cf\u043e\u0440\u051b\u0455\u051d\u0445\u0443\u04af\u0475"
            + "\u0410\u0412\u0421\u0415\u041d\u0406\u0408\u041a\u041c\u041e\u0420\u0405\u0422\u0425\u0423\u04ae\u051a\u051c\u04c0"
            + "\u03b1\u03bf\u03c1\u03bd\u03c5\u03b9\u03b3\u03c7\u03f2\u03f3"
            + "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7\u03f9\u037f"
            + "\u0585\u057d\u0570\u0578\u0581\u0566"
            + "\u0251\u0261\u0269";

    /**
     * A username that could pass for a Latin one: written in another script with look-alike letters only (a whole
     * {@code \u0430\u04cf\u0456\u0441\u0435} that shows as {@code alice}: one script, so {@link #oneScript} lets it
     * through), or a Latin one with a phonetic look-alike ({@code \u0251dmin}). A name in that script with any letter
     * of its own ({@code \u0430\u043b\u0438\u0441\u0430}) shows as no Latin name and is taken.
     */
    private static boolean passesForLatin(String username) {
        int[] letters = username.codePoints().filter(Character::isLetter).toArray();
        IntPredicate lookalike = letter -> LATIN_LOOKALIKES.indexOf(letter) >= 0;
        boolean latin = Arrays.stream(letters).allMatch(letter ->
                Character.UnicodeScript.of(letter) == Character.UnicodeScript.LATIN);
        return latin
                ? Arrays.stream(letters).anyMatch(lookalike)
                : letters.length > 0 && Arrays.stream(letters).allMatch(lookalike);
    }

    /** As UTS #39's "highly restrictive" level has them: Latin may join each. */
    private static final Set<Set<Character.UnicodeScript>> SCRIPTS_WRITTEN_TOGETHER = Set.of(
            Set.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN, Character.UnicodeScript.HIRAGANA, Character.UnicodeScript.KATAKANA),
            Set.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN, Character.UnicodeScript.HANGUL),
            Set.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN, Character.UnicodeScript.BOPOMOFO));

    private static boolean oneScript(String text) {
        Set<Character.UnicodeScript> scripts = EnumSet.noneOf(Character.UnicodeScript.class);
        text.codePoints().mapToObj(Character.UnicodeScript::of)
                .filter(script -> script != Character.UnicodeScript.COMMON && script != Character.UnicodeScript.INHERITED)
                .forEach(scripts::add);
        return scripts.size() <= 1 || SCRIPTS_WRITTEN_TOGETHER.stream().anyMatch(together -> together.containsAll(scripts));
    }

    /**
     * An email an account takes: {@link #email}, and one a mailer can deliver to. Its local part is RFC 5322's dot
     * atoms (letters and digits of any script, and {@code !#$%&'*+/=?^_`{|}~-}; no quoted forms, no brackets or
     * commas), with nothing that shows as nothing; its domain's labels are letters, digits and hyphens, the last not
     * digits alone. Signing in and asking for a reset look an address up with {@link #email} alone, so an account
     * registered before these rules still signs in.
     */
    public static String chosenEmail(String value) {
        String email = email(value);
        int at = email.indexOf('@');
        boolean deliverable;
        String domain = email.substring(at + 1);
        // A top label of digits alone is no TLD (RFC 3696): 1.2.3.4 is an IPv4 address, which mail writes in brackets.
        String topLabel = domain.substring(domain.lastIndexOf('.') + 1);
        try {
            IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES);
            deliverable = LOCAL_PART.matcher(email.substring(0, at)).matches() && !BLANK_LOOKING.matcher(email).find()
                    && !topLabel.chars().allMatch(Character::isDigit);
        } catch (IllegalArgumentException e) {
            deliverable = false;
        }
        if (!deliverable) {
            throw new IllegalArgumentException("must be a valid email address");
        }
        return email;
    }

    /**
     * The mailbox an {@link #email} reaches, as a limit on mail to it counts it: without a subaddress
     * ({@code ada+news@example.com} is {@code ada@example.com}, RFC 5233's convention, which the large providers
     * follow), so naming one person's address under endless tags mails them no more than naming it once.
     */
    public static String mailbox(String email) {
        int at = email.lastIndexOf('@');
        int tag = email.indexOf('+');
        return tag > 0 && tag < at ? email.substring(0, tag) + email.substring(at) : email;
    }

    /** Usernames are unique case-insensitively: {@code Alice} and {@code alice} are one, and this is their key. */
    public static String usernameKey(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    public static String phone(String value) {
        if (!E164.matcher(value).matches()) {
            throw new IllegalArgumentException("must be an E.164 phone number such as +14155550123");
        }
        return value;
    }

    /**
     * An IANA time zone name such as {@code Europe/Berlin}; offsets like {@code +02:00} are not zones. The JDK still
     * knows the {@code SystemV/} zones the IANA database dropped in 2020, which the pipelines' own readers (Python's
     * zoneinfo, Go's time) do not: refused as any other name outside it.
     */
    public static String timezone(String value) {
        String zone = storedTimezone(value);
        if (zone.startsWith("SystemV/")) {
            throw new IllegalArgumentException(NOT_A_TIMEZONE);
        }
        return zone;
    }

    /**
     * A time zone as an account may hold it: {@link #timezone}, or a {@code SystemV/} one taken before those were
     * refused, which a client sending back what it read may send unchanged.
     */
    public static String storedTimezone(String value) {
        try {
            if (ZoneId.getAvailableZoneIds().contains(value)) {
                return ZoneId.of(value).getId();
            }
        } catch (DateTimeException ignored) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(NOT_A_TIMEZONE);
    }

    /** A BCP 47 language tag, returned in its canonical form ({@code en-GB}). */
    public static String locale(String value) {
        try {
            Locale locale = new Locale.Builder().setLanguageTag(value).build();
            if (!locale.getLanguage().isEmpty()) {
                return locale.toLanguageTag();
            }
        } catch (IllformedLocaleException ignored) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("must be a BCP 47 language tag such as en or pt-BR");
    }

    /** Any kind of space: white space, and the Unicode space separators Java's white space leaves out (no-break ones). */
    public static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    /**
     * An id as this service issues them (users, sessions, devices): a UUID in its canonical lower-case form. Anything
     * else names nothing, so it is refused before it reaches the table or the cache.
     */
    public static boolean isId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    /**
     * The id {@code value} names when it is one written in upper or mixed case, as some platforms print UUIDs (Swift's
     * {@code uuidString}): RFC 9562 reads a UUID in either case. Any other value unchanged, for {@link #isId} to refuse.
     */
    public static String canonicalId(String value) {
        String lowerCase = value.toLowerCase(Locale.ROOT);
        return isId(lowerCase) ? lowerCase : value;
    }

    /** No unpaired surrogates, which cannot be stored as UTF-8. */
    public static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
