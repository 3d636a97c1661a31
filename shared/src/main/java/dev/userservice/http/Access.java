package dev.userservice.http;

/** Who may call a route, as the contract's auth column names it. */
public enum Access {
    /** Anyone. */
    PUBLIC,
    /** A user's access token. */
    USER,
    /**
     * A user's access token or, without one the service still accepts, none: the handler then ends the session the
     * body's refresh token names. A sign-out, which a client whose 15-minute access token ran out must still make.
     * Its handler reads the body before it acts: SnapStart's priming request reaches it with no caller and a body
     * that is no object.
     */
    USER_OR_REFRESH_TOKEN,
    /**
     * The user named by the {@code {id}} path parameter, an admin, or a service; on a path without {@code {id}}
     * (the {@code /me} form of the same route) the signed-in user.
     */
    SELF,
    /** An admin's access token. */
    ADMIN,
    /** A service token. */
    SERVICE,
    /** An admin's access token or a service token: those who run the service. */
    OPERATOR,
    /**
     * Any valid token: a user's, an admin's or a service's; the route's own rules decide what each may see (for
     * example, only callers on a premium plan read other users' profiles).
     */
    ANY
}
