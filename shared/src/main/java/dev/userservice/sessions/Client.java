package dev.userservice.sessions;

/**
 * Where a sign-in comes from, as API Gateway saw it: the source IP (never a client-supplied header such as
 * X-Forwarded-For) and the user agent. Kept on the session for the user's list of sessions.
 */
public record Client(String ip, String userAgent) {}
