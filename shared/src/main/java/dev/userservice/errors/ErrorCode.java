package dev.userservice.errors;

/** Every error of the HTTP contract: its status, its stable machine code, and the sentence clients see by default. */
public enum ErrorCode {
    MALFORMED_JSON(400, "The request body is not valid JSON"),
    VALIDATION_FAILED(400, "The request is invalid"),
    UNAUTHORIZED(401, "Authentication is required"),
    INVALID_CREDENTIALS(401, "Email or password is incorrect"),
    INVALID_TOKEN(401, "The token is invalid or has expired"),
    FORBIDDEN(403, "You are not allowed to do this"),
    ACCOUNT_DISABLED(403, "This account is disabled"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    EMAIL_TAKEN(409, "This email is already registered"),
    USERNAME_TAKEN(409, "This username is already taken"),
    IDEMPOTENCY_CONFLICT(409, "This Idempotency-Key was used for another request or is still in progress"),
    PAYLOAD_TOO_LARGE(413, "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "The request body must be application/json"),
    RATE_LIMITED(429, "Too many requests"),
    INTERNAL_ERROR(500, "Something went wrong on our side"),
    SERVICE_UNAVAILABLE(503, "The service is temporarily unavailable");

    private final int status;
    private final String defaultMessage;

    ErrorCode(int status, String defaultMessage) {
        this.status = status;
        this.defaultMessage = defaultMessage;
    }

    public int status() {
        return status;
    }

    public String defaultMessage() {
        return defaultMessage;
    }

    /** The snake_case code clients match on. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
