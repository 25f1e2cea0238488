package org.arcstream.embedder.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.arcstream.core.config.ConfigurationReference;
import org.junit.jupiter.api.Test;

/**
 * README.md's "Configuration reference" is the table generated from the configuration records. After changing a
 * record, regenerate it: {@code mvn -B -pl embedder -am test -Dtest=ConfigurationReferenceTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dupdate=true}.
 */
class ConfigurationReferenceTest {

    @Test
    void readmeListsEveryKeyWithItsDefault() throws Exception {
        Path metadata = Path.of(StreamProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("META-INF/spring-configuration-metadata.json");
        Path readme = Path.of("README.md");
        String expected = ConfigurationReference.expectedReadme(readme, metadata, Boolean.getBoolean("update"));
        assertTrue(expected.contains("| `embedder.stream.batch-size` | `EMBEDDER_STREAM_BATCH_SIZE` | `8` |"), expected);
        assertEquals(expected, Files.readString(readme),
                "README.md's configuration reference is out of date: run this test with -Dupdate=true");
    }
}
