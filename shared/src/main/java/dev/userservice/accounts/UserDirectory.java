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

    /** The fields a search looks in, in the order their matches are returned. */
    enum Field { NAME, USERNAME, EMAIL }

    /** A match: the account's public handles, and the key it was found by with the account's id, its position. */
    record Hit(String id, String name, String username, String email, String key) {}

    /** Where a search of one field stopped: the last key and account read. */
    record Position(String key, String id) {}

    /** At most {@code limit} matches in key order, and where to go on when more may follow. */
    record Page(List<Hit> hits, Optional<Position> next) {}

    /** Accounts whose {@code field} starts with {@code prefix} (a {@link #key}), in key order, after {@code after}. */
    Page search(Field field, String prefix, Optional<Position> after, int limit);

    /** How names, usernames and emails are compared: trimmed, NFKC, lower case, inner spaces as one. */
    static String key(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /** The username's search key, its uniqueness key, so the two never disagree. */
    static String usernameKey(String username) {
        return key(Text.usernameKey(username));
    }
}
