package dev.userservice.triggers;

/**
 * A record a trigger function should consume but cannot read, such as an outbox item without its user. Its message
 * names what is wrong (an attribute), never a value of the record, since the kernel logs it.
 */
public final class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String reason) {
        super(reason, null, false, false);
    }
}
