package dev.userservice.sessions;

import dev.userservice.auth.PasswordPolicy;
import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.util.Map;

/**
 * A sign-in: {@code {email, password, device_name?}}, or {@code {username, password, device_name?}} for an account
 * that has a username. The email is taken as typed: it is normalised when looked up, so a malformed one fails like
 * an unknown one rather than telling which addresses are well-formed; a username likewise.
 *
 * @param username the username signed in with, in place of {@code email} (which is then null); null otherwise
 */
public record LoginRequest(String email, String password, String deviceName, String username) {
    private static final int DEVICE_NAME_MAX_LENGTH = Text.NAME_MAX_LENGTH;
    private static final String EMAIL = "email";
    private static final String USERNAME = "username";

    /** A sign-in with an email. */
    public LoginRequest(String email, String password, String deviceName) {
        this(email, password, deviceName, null);
    }

    /** Reads the body; every problem at once in one {@code validation_failed}. */
    public static LoginRequest read(Map<String, Object> body) {
        Fields fields = Fields.of(body);
        String username = fields.optionalString(USERNAME, Text.USERNAME_MAX_LENGTH).orElse(null);
        String email = null;
        if (username == null) {
            email = fields.requiredString(EMAIL, Text.EMAIL_MAX_LENGTH);
        } else if (fields.has(EMAIL) && body.get(EMAIL) != null) { // a null email is none, as any optional field's null
            fields.reject(USERNAME, "signs in in place of email: send one of them");
        }
        String password = fields.requiredString("password", PasswordPolicy.MAX_LENGTH);
        String deviceName = fields.optional("device_name", DEVICE_NAME_MAX_LENGTH, Text::name).orElse(null);
        fields.validate();
        return new LoginRequest(email, password, deviceName, username);
    }

    /** Every component but password, which the generated text would print wherever the record is logged. */
    @Override
    public String toString() {
        return "LoginRequest[email=" + email + ", password=<redacted>, deviceName=" + deviceName + ", username="
                + username + "]";
    }
}
