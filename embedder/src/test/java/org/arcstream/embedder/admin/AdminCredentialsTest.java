package org.arcstream.embedder.admin;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without a configured password the service refuses to start, except in the dev and test environments. */
class AdminCredentialsTest {

    private static ApplicationContext start(Map<String, Object> properties, String... environments) {
        return ApplicationContext.builder()
                .deduceEnvironment(false)
                .environments(environments)
                .properties(properties)
                .start();
    }

    @Test
    void productionWithoutPasswordDoesNotStart() {
        Exception e = assertThrows(Exception.class, () -> start(Map.of()).close());
        assertTrue(rootMessage(e).contains("EMBEDDER_ADMIN_PASSWORD"), rootMessage(e));
        // a blank password is no password
        assertThrows(Exception.class, () -> start(Map.of("embedder.admin.password", "  ")).close());
    }

    @Test
    void productionWithPasswordStarts() {
        try (ApplicationContext context = start(Map.of("embedder.admin.password", "configured"))) {
            assertTrue(context.isRunning());
        }
    }

    @Test
    void developmentStartsWithARandomPassword() {
        try (ApplicationContext context = start(Map.of(), Environment.DEVELOPMENT)) {
            assertTrue(context.isRunning());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
