package dev.userservice.accounts;

import dev.userservice.validation.Text;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Accounts found by the start of a name, a username or an email, each field in its own index ordered by its
 * {@linkplain #key search key}, so a search reads only the matches it returns, never the whole table.
 */
public interface UserDirectory {

    /**
     * The fields a search looks in, in the order their matches are returned. Names their owners made private are
     * a field of their own, which only admins and services search.
     */
    enum Field { NAME, PRIVATE_NAME, USERNAME, EMAIL }

    /**
     * A match: the account's public handles, whether it is active (a disabled one is found by admins and services
     * only), and the key it was found by with the account's id, its position.
     */
    record Hit(String id, String name, String username, String email, boolean active, String key) {}

    /** Where a search of one field stopped: the last key and account read. */
    record Position(String key, String id) {}

    /** At most {@code limit} matches in key order, and where to go on when more may follow. */
    record Page(List<Hit> hits, Optional<Position> next) {}

    /** Room for a hundred characters of four bytes each, which no name within its length exceeds before NFKC. */
    int KEY_MAX_BYTES = 400;

    /** Accounts whose {@code field} starts with {@code prefix} (a {@link #key}), in key order, after {@code after}. */
    Page search(Field field, String prefix, Optional<Position> after, int limit);

    /**
     * How names, usernames and emails are compared: trimmed, NFKC, lower case, inner spaces as one, and at most
     * {@value #KEY_MAX_BYTES} bytes of UTF-8. NFKC can make one character eighteen (U+FDFA), so a valid name or
     * query could otherwise make a key longer than an index's sort key may be (1,024 bytes); stored keys and
     * queries are cut alike, so a prefix still finds what it did.
     */
    static String key(String text) {
        String key = Normalizer.normalize(text, Normalizer.Form.NFKC).strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        if (key.length() * 3 <= KEY_MAX_BYTES) {
            return key; // the common case, without counting: no UTF-16 unit takes more than 3 bytes alone
        }
        int bytes = 0;
        int end = 0;
        while (end < key.length()) {
            int codePoint = key.codePointAt(end);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > KEY_MAX_BYTES) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return key.substring(0, end);
    }

    /** The username's search key, its uniqueness key, so the two never disagree. */
    static String usernameKey(String username) {
        return key(Text.usernameKey(username));
    }
}
