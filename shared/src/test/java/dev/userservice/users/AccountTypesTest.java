package dev.userservice.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.userservice.Services;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountTypesTest {

    @Test
    void theFirstTypeIsTheDefaultAndBlanksAroundNamesAreIgnored() {
        AccountTypes types = AccountTypes.parse(" student , staff,head_of-department ");

        assertEquals(List.of("student", "staff", "head_of-department"), types.names());
        assertEquals("student", types.defaultType());
        assertEquals("staff", types.choice("staff"));
        assertEquals("must be one of student, staff, head_of-department",
                assertThrows(IllegalArgumentException.class, () -> types.choice("member")).getMessage());
    }

    @Test
    void emptyDuplicateOddOrTooManyNamesAreRefused() {
        for (String bad : List.of("", "member,", "member,member", "Member", "1st", "a b", "x".repeat(33),
                String.join(",", java.util.stream.IntStream.range(0, 21).mapToObj(i -> "t" + i).toList()))) {
            assertThrows(IllegalArgumentException.class, () -> AccountTypes.parse(bad), bad);
        }
    }

    @Test
    void aServiceWithBadAccountTypesRefusesToStart() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> Services.of(Map.of("TABLE_NAME", "users", "ACCOUNT_TYPES", "member,Member")));

        assertEquals(true, refused.getMessage().startsWith("Configuration ACCOUNT_TYPES must be"), refused.getMessage());
        assertEquals(List.of("member", "student", "staff"), Services.of(Map.of("TABLE_NAME", "users")).accountTypes().names());
    }
}
