package dev.userservice.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.userservice.errors.FieldError;
import dev.userservice.errors.ServiceException;
import dev.userservice.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlatObjectTest {
    private final FlatObject custom = new FlatObject("custom");

    @ParameterizedTest
    @ValueSource(strings = {"3", "-7", "0", "0.1", "-0.25", "1.0", "1E2", "1e22", "1.5e300", "9007199254740991", "0.30000000000000004"})
    void keepsNumbersA64BitFloatReadsBackAsWritten(String number) {
        Fields fields = Fields.of(Json.parseObject("{\"custom\": {\"score\": " + number + "}}"));

        Optional<?> patch = custom.readPatch(fields);

        assertTrue(patch.isPresent(), number);
        assertEquals(Json.parse(number), ((Map<?, ?>) patch.get()).get("score"));
    }

    /** Other services read these with 64-bit floats: infinite, zero, or another number than the one stored. */
    @ParameterizedTest
    @ValueSource(strings = {"1e400", "-1e400", "1e-400", "9007199254740993", "123456789012345678901234567890",
            "0.1000000000000000055511151231257827", "1152921504606846976"})
    void refusesNumbersA64BitFloatWouldChange(String number) {
        Fields fields = Fields.of(Json.parseObject("{\"custom\": {\"score\": " + number + ", \"name\": \"kept apart\"}}"));

        assertEquals(Optional.empty(), custom.readPatch(fields), number);
        ServiceException failure = assertThrows(ServiceException.class, fields::validate);
        assertEquals(List.of("custom.score"), failure.details().stream().map(FieldError::field).toList());
    }
}
