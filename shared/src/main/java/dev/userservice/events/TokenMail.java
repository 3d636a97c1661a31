package dev.userservice.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code data} of an event that asks the email service to mail a single-use token
 * ({@code user.password_reset_requested}, {@code user.email_verification_requested}, {@code user.invited}): where to send it, the token
 * itself (the only place the plain token ever goes), when it stops working, and how to address the reader.
 */
public record TokenMail(String email, String token, Instant expiresAt, String name, String locale) {

    public Map<String, Object> toEventData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("email", email);
        data.put("token", token);
        data.put("expires_at", expiresAt);
        data.put("name", name);
        data.put("locale", locale);
        return data;
    }

    /** Every component but token, which the generated text would print wherever the record is logged. */
    @Override
    public String toString() {
        return "TokenMail[email=" + email + ", token=<redacted>, expiresAt=" + expiresAt + ", name=" + name
                + ", locale=" + locale + "]";
    }
}
