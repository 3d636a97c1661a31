package dev.userservice.events;

/** The outbound events of the {@code user-events} queue, as API.md names them. */
public enum EventType {
    USER_REGISTERED("user.registered"),
    USER_UPDATED("user.updated"),
    USER_DELETED("user.deleted"),
    USER_EMAIL_VERIFICATION_REQUESTED("user.email_verification_requested"),
    USER_PASSWORD_RESET_REQUESTED("user.password_reset_requested"),
    USER_INVITED("user.invited"),
    USER_PLAN_CHANGED("user.plan_changed"),
    PREFERENCES_UPDATED("preferences.updated"),
    DEVICE_REGISTERED("device.registered"),
    DEVICE_DEACTIVATED("device.deactivated");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The {@code type} consumers match on. */
    public String wireName() {
        return wireName;
    }
}
