package dev.userservice.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The runner holds each function to its template policies, as IAM does in AWS. */
class LocalIamTest {

    @Test
    void aCallTheFunctionsPoliciesDoNotAllowIsDeniedAndAnAllowedOneGoesThrough() throws Exception {
        Path template = Path.of(Objects.requireNonNull(LocalIamTest.class.getResource("/iam-template.yaml")).toURI());
        try (LocalService service = LocalService.start(LocalOptions.inMemory().withTemplate(template))) {
            assertEquals("ok", invoke(service, "AllowedFunction"), "dynamodb:List* allows ListTables");
            assertEquals("AccessDeniedException", invoke(service, "DeniedFunction"));
        }
    }

    private static String invoke(LocalService service, String function) {
        return new String(service.invoke(function, "{}".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }
}
