package dev.userservice.errors;

import java.util.List;
import java.util.Map;

/**
 * A failure the client is told about: it carries the contract's error code, a message safe to show, and for
 * validation failures the offending fields. Domain code throws it; the kernel turns it into the envelope.
 */
public class ServiceException extends RuntimeException {
    private final ErrorCode error;
    private final List<FieldError> details;
    private final Map<String, String> headers;

    public ServiceException(ErrorCode error) {
        this(error, error.defaultMessage());
    }

    public ServiceException(ErrorCode error, String message) {
        this(error, message, List.of(), Map.of());
    }

    public ServiceException(ErrorCode error, String message, List<FieldError> details, Map<String, String> headers) {
        super(message, null, false, false);
        this.error = error;
        this.details = List.copyOf(details);
        this.headers = Map.copyOf(headers);
    }

    public static ServiceException validation(List<FieldError> details) {
        return new ServiceException(ErrorCode.VALIDATION_FAILED, ErrorCode.VALIDATION_FAILED.defaultMessage(), details, Map.of());
    }

    public static ServiceException validation(String field, String message) {
        return validation(List.of(new FieldError(field, message)));
    }

    public ErrorCode error() {
        return error;
    }

    public List<FieldError> details() {
        return details;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
