package org.arcstream.trainer.service;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a configured password the trainer refuses to start, except in the dev and test environments (as the embedder). */
class TrainerAdminCredentialsTest {

    @TempDir
    static Path store;

    private static ApplicationContext start(Map<String, Object> properties, String... environments) {
        Map<String, Object> props = new HashMap<>(properties);
        props.put("trainer.schedule-cron", ""); // no run is started
        props.put("trainer.store-dir", store.resolve("store").toString());
        props.put("trainer.gallery-dir", store.toString()); // read only by a run
        return ApplicationContext.builder().deduceEnvironment(false).environments(environments).properties(props).start();
    }

    @Test
    void productionWithoutPasswordDoesNotStart() {
        Exception e = assertThrows(Exception.class, () -> start(Map.of()).close());
        assertTrue(rootMessage(e).contains("TRAINER_ADMIN_PASSWORD"), rootMessage(e));
        // a blank password is no password
        assertThrows(Exception.class, () -> start(Map.of("trainer.admin.password", "  ")).close());
    }

    @Test
    void productionWithPasswordStarts() {
        try (ApplicationContext context = start(Map.of("trainer.admin.password", "configured"))) {
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
