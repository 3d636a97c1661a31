package dev.userservice.auth;

import dev.userservice.errors.ErrorCode;
import dev.userservice.errors.ServiceException;
import dev.userservice.logging.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A document from the deployment's secret store, parsed, and read again on a schedule: by the first use a refresh
 * interval after the last read, and by the first use after a SnapStart restore ({@link #markStale}), however recent
 * the clock says the snapshot's copy is. A caller that misses something in it (an unknown key id, an unknown
 * client) may read it again at once ({@link #reloadUnlessTriedRecently}), from the source's origin where the source
 * has a copy of its own (a cache) that would answer the same; such reads, and reads after a failure, are spaced by
 * {@link #RETRY_INTERVAL}, so made-up ids cannot flood the store.
 *
 * <p>A read that fails keeps the copy read before in use, since an unreachable store should not fail requests that
 * the copy still answers; the failure is logged without its message, which could quote the document. Not so the
 * copy in a SnapStart snapshot: a restored copy may run weeks and several rotations after it, and a leaked key
 * dropped since must not sign or verify again, so until a read after the restore succeeds its uses answer 503.
 */
final class Reloading<T> {
    /** The least time between two reads outside the refresh schedule: after a miss, or after a failed read. */
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(10);

    private final String name;
    private final Supplier<String> source;
    private final Supplier<String> afterMiss;
    private final Function<String, T> parse;
    private final Duration refreshInterval;
    private final Clock clock;
    private volatile Loaded<T> loaded;
    private volatile boolean stale;
    /** Restored from a snapshot, and not read since: the copy is the snapshot's, of any age. */
    private volatile boolean unreadSinceRestore;

    /**
     * The copy, when a use reads it again, and when a read of {@code afterMiss} was last tried: a scheduled read of a
     * cache that lacks a key must not hold back the read past it that finds the key.
     */
    private record Loaded<T>(T value, Instant refreshAt, Instant missReadTriedAt) {}

    /** Reads the document once; a failure here is the caller's, since there is no copy to fall back on. */
    Reloading(String name, Supplier<String> source, Function<String, T> parse, Duration refreshInterval, Clock clock) {
        this(name, source, source, parse, refreshInterval, clock);
    }

    /** {@code afterMiss}: where a read after a miss goes, past the copy {@code source} may answer from. */
    Reloading(String name, Supplier<String> source, Supplier<String> afterMiss, Function<String, T> parse,
              Duration refreshInterval, Clock clock) {
        this.name = name;
        this.source = source;
        this.afterMiss = afterMiss;
        this.parse = parse;
        this.refreshInterval = refreshInterval;
        this.clock = clock;
        Instant now = clock.instant();
        this.loaded = new Loaded<>(parse.apply(source.get()), now.plus(refreshInterval), source == afterMiss ? now : Instant.MIN);
    }

    /** The copy in use, read again first when its refresh is due. */
    T get() {
        Loaded<T> current = loaded;
        if (stale || !clock.instant().isBefore(current.refreshAt())) {
            load(current, source);
        }
        if (unreadSinceRestore) {
            throw new ServiceException(ErrorCode.SERVICE_UNAVAILABLE);
        }
        return loaded.value();
    }

    /**
     * Reads the document again now, from {@code afterMiss}, unless such a read was tried within {@link #RETRY_INTERVAL}.
     *
     * @return whether the document was read again: by this call, successfully, or by another thread since this one
     *     last looked (which may have failed; a caller then looks once more at what it has, at no cost)
     */
    boolean reloadUnlessTriedRecently() {
        Loaded<T> current = loaded;
        if (clock.instant().isBefore(current.missReadTriedAt().plus(RETRY_INTERVAL))) {
            return false;
        }
        return load(current, afterMiss);
    }

    /** Makes the next use read the document again. Nothing is read here: a restore stays free of calls to the store. */
    void markStale() {
        unreadSinceRestore = true;
        stale = true;
    }

    private synchronized boolean load(Loaded<T> seen, Supplier<String> from) {
        boolean afterAMiss = from == afterMiss;
        Loaded<T> current = loaded;
        // Another thread read it meanwhile: enough, unless this read is past a cache and that one was not.
        if (current != seen && (!afterAMiss || current.missReadTriedAt() != seen.missReadTriedAt())) {
            return true;
        }
        Instant now = clock.instant();
        Instant missReadTriedAt = afterAMiss ? now : current.missReadTriedAt();
        stale = false;
        try {
            loaded = new Loaded<>(parse.apply(from.get()), now.plus(refreshInterval), missReadTriedAt);
            unreadSinceRestore = false;
            return true;
        } catch (RuntimeException e) {
            loaded = new Loaded<>(current.value(), now.plus(RETRY_INTERVAL), missReadTriedAt);
            Log.warn(name + " not read again; the copy read before stays in use",
                    Map.of("error", e.getClass().getSimpleName()));
            return false;
        }
    }
}
