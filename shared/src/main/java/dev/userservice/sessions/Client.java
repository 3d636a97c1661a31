package dev.userservice.sessions;

import dev.userservice.http.HttpRequest;

/** Where a sign-in comes from, as API Gateway saw it; kept on the session for the user's list of sessions. */
public record Client(String ip, String userAgent) {

    /** The source IP API Gateway saw, never a client-supplied header such as X-Forwarded-For. */
    public static Client of(HttpRequest request) {
        return new Client(request.sourceIp(), request.userAgent());
    }
}
