package dev.userservice.http;

/** Who may call a route, as the contract's auth column names it. */
public enum Access {
    /** Anyone. */
    PUBLIC,
    /** A user's access token. */
    USER,
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
    OPERATOR
}
