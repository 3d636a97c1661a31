package dev.userservice.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The secrets that seal list cursors ({@code dev.userservice.paging.Cursors}): a secret of their own, so that the
 * functions that list (and hand out cursors) hold nothing that signs a token. The document is one or more words
 * separated by blanks, each at least {@value #MIN_LENGTH} characters of random text (the template has CloudFormation
 * generate 64): the first seals, any opens.
 *
 * <p>Containers read the document again each at its own time ({@link Reloading}), so a rotation takes three writes a
 * refresh interval apart, as the signing keys' next key does: the new word after the old one (every container learns
 * to open it), then before it (containers seal with it; those that have not read it yet still open it), then alone. A
 * cursor sealed under a word no longer stored is refused with 400 and its client starts the listing over.
 */
public final class CursorSecrets implements Supplier<List<byte[]>> {
    /** 32 random alphanumeric characters hold some 190 bits; a shorter word is a mistake, not a choice. */
    static final int MIN_LENGTH = 32;

    private final Reloading<List<byte[]>> secrets;

    public CursorSecrets(Supplier<String> source, Duration refreshInterval, Clock clock) {
        this.secrets = new Reloading<>("cursor secrets", source, CursorSecrets::parse, refreshInterval, clock);
    }

    @Override
    public List<byte[]> get() {
        return secrets.get();
    }

    /** Makes the next use read the document again: a SnapStart snapshot keeps the one it was taken with. */
    public void markStale() {
        secrets.markStale();
    }

    /** The secrets a document holds; the message of a refusal does not quote it. */
    public static List<byte[]> parse(String document) {
        List<String> words = Arrays.stream(document.strip().split("\\s+")).filter(word -> !word.isEmpty()).toList();
        if (words.isEmpty() || words.stream().anyMatch(word -> word.length() < MIN_LENGTH)) {
            throw new IllegalStateException("The cursor secret must be one or more words of at least " + MIN_LENGTH
                    + " random characters, separated by blanks");
        }
        return words.stream().map(word -> word.getBytes(StandardCharsets.UTF_8)).toList();
    }
}
