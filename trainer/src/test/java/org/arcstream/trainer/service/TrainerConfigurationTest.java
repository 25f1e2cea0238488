package org.arcstream.trainer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arcstream.core.config.ConfigurationReference;
import org.arcstream.trainer.finetune.FineTuneSettings;
import org.arcstream.trainer.gate.GatePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every trainer.* key is validated once, when the service starts, and named when it is wrong; environment variables
 * reach the settings; README.md's "Configuration reference" is the table generated from the records (regenerate:
 * {@code mvn -B -pl trainer -am test -Dtest=TrainerConfigurationTest -Dsurefire.failIfNoSpecifiedTests=false -Dupdate=true}).
 */
class TrainerConfigurationTest {

    @TempDir
    static Path store;

    private static Map<String, Object> base() {
        Map<String, Object> props = new HashMap<>();
        props.put("trainer.schedule-cron", ""); // no run is started
        props.put("trainer.store-dir", store.resolve("store").toString());
        props.put("trainer.gallery-dir", store.toString()); // read only by a run
        props.put("trainer.admin.password", "configured");
        props.put("micronaut.server.port", -1);
        return props;
    }

    private static String startupFailure(String key, Object value) {
        Map<String, Object> props = base();
        props.put(key, value);
        Exception e = assertThrows(Exception.class,
                () -> ApplicationContext.builder().deduceEnvironment(false).properties(props).start().close(), key + "=" + value + " started");
        return rootMessage(e);
    }

    @Test
    void badValuesStopTheStartNamingTheKey() {
        assertEquals("trainer.training.epochs (TRAINER_TRAINING_EPOCHS) must be greater than or equal to 1, got 0",
                startupFailure("trainer.training.epochs", 0));
        assertEquals("trainer.training.learning-rate (TRAINER_TRAINING_LEARNING_RATE) must be greater than 0, got -0.1",
                startupFailure("trainer.training.learning-rate", -0.1));
        assertEquals("trainer.training.learning-rate (TRAINER_TRAINING_LEARNING_RATE) must be greater than 0, got 0.0",
                startupFailure("trainer.training.learning-rate", 0));
        assertEquals("trainer.training.heldout-identity-fraction (TRAINER_TRAINING_HELDOUT_IDENTITY_FRACTION) must be greater than 0, got 0.0",
                startupFailure("trainer.training.heldout-identity-fraction", 0));
        assertTrue(startupFailure("trainer.training.optimizer", "adam").startsWith(
                "trainer.training.optimizer (TRAINER_TRAINING_OPTIMIZER) must match"));
        assertEquals("trainer.gate.auc-tolerance (TRAINER_GATE_AUC_TOLERANCE) must be less than 1, got 1.0",
                startupFailure("trainer.gate.auc-tolerance", 1));
        assertEquals("trainer.history-size (TRAINER_HISTORY_SIZE) must be greater than or equal to 1, got 0",
                startupFailure("trainer.history-size", 0));
    }

    @Test
    void defaultsAreTheFineTuningAndGateDefaults() {
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).properties(base()).start()) {
            assertEquals(FineTuneSettings.defaults(), context.getBean(TrainingConfig.class).toSettings());
            assertEquals(GatePolicy.defaults(), context.getBean(GateConfig.class).toPolicy());
            assertEquals(50, context.getBean(TrainerConfig.class).historySize());
            assertEquals("models", context.getBean(TrainerConfig.class).modelsTopic());
        }
    }

    /** A separate JVM, because only a new process gets new environment variables. */
    @Test
    void environmentVariablesReachTheSettings() throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of("TRAINER_TRAINING_EPOCHS", "7", "TRAINER_GATE_TAR_TOLERANCE", "0.05",
                "TRAINER_TRAINING_HELDOUT_IDENTITY_FRACTION", "0.25"));
        String[] ok = run(environment);
        assertEquals("0", ok[0], ok[1]);
        assertTrue(ok[1].contains("settings: 7 0.05 0.25"), ok[1]);

        environment.put("TRAINER_TRAINING_EPOCHS", "0");
        String[] bad = run(environment);
        assertNotEquals("0", bad[0], bad[1]);
        assertTrue(bad[1].contains("failed: trainer.training.epochs (TRAINER_TRAINING_EPOCHS) must be greater than or equal to 1, got 0"), bad[1]);
    }

    @Test
    void readmeListsEveryKeyWithItsDefault() throws Exception {
        Path metadata = Path.of(TrainerConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("META-INF/spring-configuration-metadata.json");
        Path readme = Path.of("README.md");
        String expected = ConfigurationReference.expectedReadme(readme, metadata, Boolean.getBoolean("update"));
        assertTrue(expected.contains("| `trainer.training.epochs` | `TRAINER_TRAINING_EPOCHS` | `" + org.arcstream.trainer.finetune.FineTuneSettings.EPOCHS
                + "` |"), expected);
        assertEquals(expected, Files.readString(readme),
                "README.md's configuration reference is out of date: run this test with -Dupdate=true");
    }

    private static String[] run(Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PrintSettings.class.getName())).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("TRAINER_SCHEDULE_CRON", "");
        builder.environment().put("TRAINER_STORE_DIR", store.resolve("child-store").toString());
        builder.environment().put("TRAINER_GALLERY_DIR", store.toString());
        builder.environment().put("TRAINER_ADMIN_PASSWORD", "from-the-environment");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "child JVM did not finish");
        return new String[] {String.valueOf(process.exitValue()), new String(output, StandardCharsets.UTF_8)};
    }

    /** The child JVM: reads the trainer's configuration from the environment and prints what it got. */
    public static final class PrintSettings {

        public static void main(String[] args) {
            try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).start()) {
                System.out.println("settings: " + context.getBean(TrainingConfig.class).epochs() + " "
                        + context.getBean(GateConfig.class).tarTolerance() + " " + context.getBean(TrainingConfig.class).heldoutIdentityFraction());
            } catch (RuntimeException e) {
                System.out.println("failed: " + rootMessage(e));
                System.exit(1);
            }
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
