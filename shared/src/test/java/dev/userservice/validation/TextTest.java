package dev.userservice.validation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "alice@example.com|alice@example.com",
            "'  Alice@Example.COM  '|alice@example.com",
            "'\tBOB.SMITH+tag@Mail.Example.org\n'|bob.smith+tag@mail.example.org",
            "zoë@exämple.de|zoë@exämple.de"})
    void emailIsTrimmedAndLowerCased(String given, String stored) {
        assertEquals(stored, Text.email(given));
    }

    @Test
    void emailIsTrimmedOfUnicodeSpaces() {
        assertEquals("alice@example.com", Text.email("\u00a0alice@example.com\u2003"));
    }

    @Test
    void aFullwidthEmailIsTheAsciiOne() {
        assertEquals("alice@example.com", Text.email("\uff41\uff4c\uff49\uff43\uff45@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com"));
    }

    @Test
    void aPunycodeDomainIsTheUnicodeDomainItEncodes() {
        assertEquals("bob@b\u00fccher.example", Text.email("Bob@xn--bcher-kva.example"));
        assertEquals(Text.email("bob@xn--bcher-kva.example"), Text.email("bob@B\u00dcCHER.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ali\u200bce@example.com", "alice@exa\u200dmple.com", "\u202ealice@example.com",
            "alice\u2066@example.com", "alice@example.com\ufeff.org"})
    void invisibleAndDirectionChangingCharactersAreRefused(String email) {
        assertRefused(Text::email, email, "must be a valid email address");
    }

    /** The JDK's IDNA (2003) reads ß as ss: straße.de would be stored as strasse.de, a domain someone else may own. */
    @Test
    void aDomainThatOldIdnaWouldReadAsAnotherIsRefusedInUnicodeAndKeptInPunycode() {
        assertThrows(IllegalArgumentException.class, () -> Text.email("anna@stra\u00dfe.de"));
        assertThrows(IllegalArgumentException.class, () -> Text.email("anna@\u03bb\u03bf\u03b3\u03bf\u03c2.gr"));
        assertEquals("anna@xn--strae-oqa.de", Text.email("anna@xn--strae-oqa.de"));
        assertEquals("stra\u00dfe@example.com", Text.email("Stra\u00dfe@example.com"), "the local part is not IDNA's");
    }

    @Test
    void emailsDifferingOnlyInCompositionAreTheSame() {
        // "é" as one code point and as "e" + combining accent must not make two accounts.
        assertEquals(Text.email("jos\u00e9@example.com"), Text.email("jose\u0301@example.com"));
    }

    @ParameterizedTest
    @CsvSource({"ada+news@example.com, ada@example.com", "ada+a+b@example.com, ada@example.com",
            "ada@example.com, ada@example.com", "+ada@example.com, +ada@example.com", "ada@plus+domain.example, ada@plus+domain.example"})
    void aMailboxIsTheAddressWithoutItsTag(String email, String mailbox) {
        assertEquals(mailbox, Text.mailbox(email));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "@example.com", "alice@", "alice@example", "alice@@example.com", "a@b@example.com",
            "al ice@example.com", "alice@exa mple.com", "alice@example..com", "alice@.example.com", "alice\u0000@example.com"})
    void malformedEmailsAreRefused(String email) {
        assertRefused(Text::email, email, "must be a valid email address");
    }

    @Test
    void tenThousandCharacterEmailIsRefused() {
        assertRefused(Text::email, "a".repeat(10_000 - "@example.com".length()) + "@example.com", "must be a valid email address");
    }

    @Test
    void emailLocalPartOver64CharactersIsRefused() {
        assertEquals("a".repeat(64) + "@example.com", Text.email("a".repeat(64) + "@example.com"));
        assertRefused(Text::email, "a".repeat(65) + "@example.com", "must be a valid email address");
    }

    @Test
    void emailOver254CharactersIsRefused() {
        String domain = ("d".repeat(60) + ".").repeat(4);
        String at254 = "a".repeat(254 - domain.length() - 4) + "@" + domain + "com";

        assertEquals(254, at254.length());
        assertEquals(at254, Text.email(at254));
        assertRefused(Text::email, "a" + at254, "must be a valid email address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+14155550123", "+491701234567", "+12", "+123456789012345"})
    void e164PhoneNumbersAreAccepted(String phone) {
        assertEquals(phone, Text.phone(phone));
    }

    @ParameterizedTest
    @ValueSource(strings = {"14155550123", "+04155550123", "+1 415 555 0123", "+1-415-555-0123", "+1234567890123456", "+1",
            "+", "+1415555012a", "(415) 555-0123", "+14155550123\n"})
    void nonE164PhoneNumbersAreRefused(String phone) {
        assertRefused(Text::phone, phone, "must be an E.164 phone number such as +14155550123");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires", "Asia/Kolkata", "EST5EDT", "US/Eastern"})
    void ianaTimeZonesAreAccepted(String zone) {
        assertEquals(zone, Text.timezone(zone));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+02:00", "Mars/Olympus", "", "Europe/Berlin ", "GMT+2", "Z", "../../etc/passwd", "SystemV/EST5", "SystemV/PST8PDT"})
    void offsetsAndUnknownZonesAreRefused(String zone) {
        assertRefused(Text::timezone, zone, "must be an IANA time zone such as Europe/Berlin");
    }

    @ParameterizedTest
    @CsvSource({"en,en", "pt-BR,pt-BR", "en-gb,en-GB", "zh-Hant-TW,zh-Hant-TW", "de,de", "es-419,es-419"})
    void bcp47TagsAreAcceptedInCanonicalForm(String tag, String canonical) {
        assertEquals(canonical, Text.locale(tag));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "en_US", "e", "123", "en-", "x-private", "en US", "!!"})
    void malformedLanguageTagsAreRefused(String tag) {
        assertRefused(Text::locale, tag, "must be a BCP 47 language tag such as en or pt-BR");
    }

    @Test
    void nameIsStrippedAndComposed() {
        assertEquals("Zo\u00eb", Text.name("  Zoe\u0308 "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\u2003"})
    void blankNameIsRefused(String name) {
        assertRefused(Text::name, name, "must not be blank");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ali\u0000ce", "Alice\nSmith", "Al\u0007ice", "Ali\u0085ce"})
    void nameWithControlCharactersIsRefused(String name) {
        assertRefused(Text::name, name, "must not contain control characters");
    }

    /** Other users see names: one that shows as nothing, or that an override turns around, would pass for another. */
    @ParameterizedTest
    @ValueSource(strings = {"\u200B", "\u00A0\u00A0", "\u3164", "\u2800", "\u034F\uFE0F", "\u202Enimda", "Bob\uFFFF", "Al\u2066ice",
            "Bob\uD83F\uDFFE", "Eve\uDBFF\uDFFF", "\uDB3F\uDFFE"})
    void aNameThatShowsAsNothingOrTurnsAroundIsRefusedWhenTaken(String name) {
        assertThrows(IllegalArgumentException.class, () -> Text.chosenName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645", "Zo\u00eb", "\u5c71\u7530 \u592a\u90ce",
            "\u05e9\u05dc\u05d5\u05dd\u200F", "Ann\u00ADa", "\uD83D\uDC69\u200D\uD83D\uDCBB Kim"})
    void namesOfEveryScriptWithTheirMarksAndJoinersAreTaken(String name) {
        assertEquals(name, Text.chosenName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0430lice", "alice\u3164", "\u1160bob", "p\u0430ypal", "alice\uFE0F", "bob\u034F"})
    void aUsernameThatCouldPassForAnothersIsRefusedWhenTakenButStillLooksUp(String username) {
        assertThrows(IllegalArgumentException.class, () -> Text.chosenUsername(username));
        assertDoesNotThrow(() -> Text.username(username), "an account that has it still signs in with it");
    }

    /** Written whole in look-alike letters of another script, or with a phonetic look-alike: one script, yet another's name. */
    @ParameterizedTest
    @ValueSource(strings = {"\u0430\u04cf\u0456\u0441\u0435", "\u0455\u0441\u043e\u0440\u0435_2", "\u0410\u0412\u0421123",
            "\u03bf\u03c1\u03b1", "\u0251dmin", "a\u0261ent"})
    void aUsernameInLettersThatPassForLatinOnesIsRefusedWhenTaken(String username) {
        assertThrows(IllegalArgumentException.class, () -> Text.chosenUsername(username));
        assertDoesNotThrow(() -> Text.username(username), "an account that has it still signs in with it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k\u0131rm\u0131z\u0131", "\u0130stanbul", "\u0432\u0430\u0441\u044f", "\u03b1\u03bb\u03b5\u03be\u03b7\u03c2", "42"})
    void namesOfTheirOwnScriptAndTurkishLettersAreTaken(String username) {
        assertEquals(username, Text.chosenUsername(username));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0905\u092e\u093f\u0924", "\u0e2a\u0e21\u0e34\u0e15\u0e23", "\u5c71\u7530\u305f\u308d\u3046", "\u0430\u043b\u0438\u0441\u0430_99", "alice.b-1",
            "tanaka\u592a\u90ce", "\u30df\u30afmiku"})
    void usernamesOfOneScriptWithTheirMarksAreTaken(String username) {
        assertEquals(username, Text.chosenUsername(username));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@evil.example,b.example", "a@example.com;x", "<a>@example.com", "\"x\"@example.com",
            "alice\u3164@example.com", "alice\uFE0F@example.com", "a@exa_mple.com", "a@1.2.3.4", "a@example.123"})
    void anEmailNoMailerDeliversToIsRefusedWhenTakenButStillLooksUp(String email) {
        assertThrows(IllegalArgumentException.class, () -> Text.chosenEmail(email));
        assertDoesNotThrow(() -> Text.email(email), "an account that has it still signs in with it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"o'brien+news@example.com", "taro..yamada@docomo.ne.jp", "first.last+tag@sub.example.co.uk", "\u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a", "j\u00f6rg@b\u00fccher.example", "a.b@x-y.example"})
    void deliverableEmailsAreTaken(String email) {
        assertEquals(Text.email(email), Text.chosenEmail(email));
    }

    @Test
    void wellFormedTextIsRecognised() {
        assertEquals(true, Text.isWellFormed("plain ascii"));
        assertEquals(true, Text.isWellFormed("🔐 pairs"));
        assertEquals(false, Text.isWellFormed("lone \ud800 high"));
        assertEquals(false, Text.isWellFormed("lone \udc00 low"));
        assertEquals(false, Text.isWellFormed("ends high \ud83d"));
    }

    private static void assertRefused(Function<String, String> parser, String value, String message) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> parser.apply(value));
        assertEquals(message, refused.getMessage());
    }
}
