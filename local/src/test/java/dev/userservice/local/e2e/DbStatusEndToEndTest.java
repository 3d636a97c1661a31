package dev.userservice.local.e2e;

import static dev.userservice.local.e2e.Accounts.assertError;
import static dev.userservice.local.e2e.Accounts.uniqueEmail;
import static dev.userservice.local.e2e.Api.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /api/v1/db/status}: the dependency report, for admins and services only. */
class DbStatusEndToEndTest {
    private static final String DB_STATUS = "/api/v1/db/status";

    @RegisterExtension
    static final RunningService running = RunningService.shared();
    private static final Api api = running.api();
    private static final Accounts accounts = running.accounts();

    @Test
    void adminsAndServicesReadTheDependencyReport() {
        Accounts.Account admin = accounts.admin();

        Api.Response byAdmin = api.get(DB_STATUS, "Authorization", admin.authorization());
        Api.Response byService = api.get(DB_STATUS, "Authorization", bearer(running.serviceToken()));

        assertEquals(200, byAdmin.status(), byAdmin.text());
        assertEquals("ok", byAdmin.data().get("status"));
        assertEquals("ok", ((Map<?, ?>) ((Map<?, ?>) byAdmin.data().get("checks")).get("dynamodb")).get("status"));
        assertEquals(200, byService.status(), byService.text());
        assertEquals(byAdmin.data().keySet(), byService.data().keySet());
        assertEquals("no-store", byAdmin.header("Cache-Control"));
    }

    @Test
    void usersAreForbiddenAndStrangersUnauthorized() {
        Accounts.Account user = accounts.register(uniqueEmail("dbstatus"));

        assertError(api.get(DB_STATUS, "Authorization", user.authorization()), 403, "forbidden");
        assertError(api.get(DB_STATUS), 401, "unauthorized");
    }
}
