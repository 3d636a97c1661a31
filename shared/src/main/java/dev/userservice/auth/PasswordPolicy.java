package dev.userservice.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What makes a password acceptable, following NIST SP 800-63B: long enough, not absurdly long, not among the
 * most common passwords, not built on the account's email. No composition rules.
 */
public final class PasswordPolicy {
    public static final int MAX_LENGTH = 256;
    /** Local parts this short would forbid too many passwords by accident; the check starts at this length. */
    private static final int MIN_LOCAL_PART_CHECKED = 3;
    /** nbvcxz bundles the 100,000 most common passwords, most common first. */
    private static final String COMMON_PASSWORDS = "/dictionaries/passwords.txt";

    /** What shows as nothing, but the joiners, which make one character of an emoji's parts (as of Indic letters). */
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cf}&&[^\\u200C\\u200D]]");

    private final int minLength;
    private volatile Set<String> common;

    public PasswordPolicy(int minLength) {
        this.minLength = minLength;
    }

    /** Why this password is refused, or empty when it is acceptable. */
    public Optional<String> problem(String password, String email) {
        // Checked as the hasher will store it, so a fullwidth "ｐａｓｓｗｏｒｄ１２３" is the common password it is.
        String normalised = Normalizer.normalize(password, Normalizer.Form.NFKC);
        if (password.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.of("must not contain control characters");
        }
        // Judged as a person reads it: ten spaces, or zero-width spaces, are no password of ten characters, and a
        // zero-width space inside a common password leaves it the common password it shows.
        String asRead = INVISIBLE.matcher(normalised).replaceAll("").strip();
        if (characters(asRead) < minLength) {
            return Optional.of("must be at least " + minLength + " characters");
        }
        if (password.codePointCount(0, password.length()) > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        String lower = asRead.toLowerCase(Locale.ROOT);
        if (commonPasswords().contains(lower)) {
            return Optional.of("is too common; choose a less predictable password");
        }
        if (email != null) {
            String localPart = email.substring(0, Math.max(0, email.indexOf('@'))).toLowerCase(Locale.ROOT);
            if (localPart.length() >= MIN_LOCAL_PART_CHECKED && lower.contains(localPart)) {
                return Optional.of("must not contain your email address");
            }
        }
        return Optional.empty();
    }

    /**
     * The characters a person sees: grapheme clusters, so combining marks stacked on one letter (which
     * normalisation cannot always fold into it) do not each count as a character of their own.
     */
    private static int characters(String text) {
        BreakIterator graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
        graphemes.setText(text);
        int count = 0;
        while (graphemes.next() != BreakIterator.DONE) {
            count++;
        }
        return count;
    }

    private Set<String> commonPasswords() {
        Set<String> loaded = common;
        if (loaded == null) {
            loaded = load(minLength);
            common = loaded;
        }
        return loaded;
    }

    /** Only entries long enough to pass the length rule matter; shorter ones are refused before the lookup. */
    private static Set<String> load(int minLength) {
        try (InputStream stream = PasswordPolicy.class.getResourceAsStream(COMMON_PASSWORDS)) {
            if (stream == null) {
                throw new IllegalStateException("The common-password list is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            Set<String> passwords = new HashSet<>(80_000);
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String password = line.strip().toLowerCase(Locale.ROOT);
                if (password.codePointCount(0, password.length()) >= minLength) {
                    passwords.add(password);
                }
            }
            return Set.copyOf(passwords);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
