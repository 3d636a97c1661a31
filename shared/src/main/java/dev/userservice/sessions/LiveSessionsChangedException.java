package dev.userservice.sessions;

/**
 * A session a sign-in was to end has ended or gone since the live sessions were read (another sign-in ended it for
 * its own start, say): nothing was written, and the sign-in plans again from the live sessions as they are now.
 */
public final class LiveSessionsChangedException extends RuntimeException {
    public LiveSessionsChangedException() {
        super("A session to end changed since the live sessions were read", null, false, false);
    }
}
