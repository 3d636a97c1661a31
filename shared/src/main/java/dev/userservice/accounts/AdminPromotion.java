package dev.userservice.accounts;

import dev.userservice.validation.Fields;
import dev.userservice.validation.Text;
import java.util.Map;

/** The operator's request to make an account the first admin: {@code {email}}. */
public record AdminPromotion(String email) {

    /** Reads the input; a missing or malformed email is {@code validation_failed}. */
    public static AdminPromotion read(Map<String, Object> input) {
        Fields fields = Fields.of(input);
        String email = fields.required("email", Text.EMAIL_MAX_LENGTH, Text::email);
        fields.validate();
        return new AdminPromotion(email);
    }
}
