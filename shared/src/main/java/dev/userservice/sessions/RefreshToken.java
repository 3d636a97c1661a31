package dev.userservice.sessions;

/** A stored refresh token: only its hash, the session it belongs to, and whether it is the session's current one. */
public record RefreshToken(String hash, String userId, String sessionId, boolean current) {}
