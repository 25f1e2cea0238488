package org.arcstream.deploy.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.arcstream.deploy.kustomize.Rendering;
import org.arcstream.deploy.topics.TopicsConf;
import org.arcstream.deploy.topics.TopicsConf.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The services' variables against the keys their application.yml documents, and their topics against the topics Job. */
class ServiceConfigTest {

    /** Read by the JVM, DJL or Micronaut itself rather than by a configuration section of the service. */
    private static final Set<String> PLATFORM = Set.of("JAVA_HOME", "PATH", "LANG", "JDK_JAVA_OPTIONS", "DJL_CACHE_DIR",
            "MICRONAUT_CONFIG_FILES", "MICRONAUT_ENVIRONMENTS",
            "PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR");

    @ParameterizedTest
    @ValueSource(strings = {"ingest", "embedder", "trainer"})
    void everyVariableOfAServiceSetsAKeyItDocuments(String service) {
        assumeTrue(ServiceConfig.hasOwnSection(service), service + "'s settings are not in this checkout yet");
        ServiceConfig config = ServiceConfig.read(service);
        for (String overlay : Rendering.OVERLAYS) {
            Rendering rendering = Rendering.of(overlay);
            Map<String, Object> container = Rendering.mainContainer(rendering.get("Deployment", service));
            for (String variable : EnvironmentTest.environment(rendering, container).keySet()) {
                if (variable.startsWith("ARCSTREAM_") || PLATFORM.contains(variable)) {
                    continue;
                }
                assertTrue(config.accepts(variable), overlay + " " + service + " sets " + variable
                        + ", which is no key of " + ServiceConfig.file(service));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest", "embedder", "trainer"})
    void everyTopicAServiceUsesIsCreatedByTheTopicsJob(String service) {
        assumeTrue(ServiceConfig.hasOwnSection(service), service + "'s settings are not in this checkout yet");
        Set<String> created = TopicsConf.of(Rendering.topicsJob()).topics().stream().map(Topic::name).collect(Collectors.toSet());
        Map<String, String> topics = ServiceTopics.of(service);
        assertTrue(!topics.isEmpty(), service + " names no topic in " + ServiceConfig.file(service));
        topics.forEach((key, topic) -> assertTrue(created.contains(topic), service + " " + key + " = " + topic + ", which the topics Job does not create"));
    }

    @Test
    void framesAndDeadLettersTakeTheLargestFrameIngestSends() {
        Rendering rendering = Rendering.of("cpu");
        TopicsConf topics = TopicsConf.of(Rendering.topicsJob());
        Map<String, String> env = EnvironmentTest.environment(rendering, Rendering.mainContainer(rendering.get("Deployment", "ingest")));
        long maxFrame = Long.parseLong(env.get("INGEST_MAX_FRAME_BYTES"));
        long frames = Long.parseLong(topics.topic("frames").configs().get("max.message.bytes"));
        long deadLetters = Long.parseLong(topics.topic("dead-letter").configs().get("max.message.bytes"));
        // the ingest service asks for 64 KiB beyond its largest frame for the record's key and headers
        assertTrue(maxFrame + 65_536 <= frames, "frames max.message.bytes " + frames + " < " + maxFrame + " + 64 KiB");
        // a dead letter is the original frame plus the failure headers
        assertTrue(deadLetters >= frames, "dead-letter " + deadLetters + " < frames " + frames);
    }

    @Test
    void commentedAndPlaceholderKeysAreReadWithTheirNesting() {
        ServiceConfig config = new ServiceConfig("x", Map.of("x.admin.password", "", "x.cameras", "{}"), Set.of("x.cameras"), Set.of("X_PORT"));
        assertTrue(config.accepts("X_ADMIN_PASSWORD"));
        assertTrue(config.accepts("X_CAMERAS_GATE3_SOURCE"));
        assertTrue(config.accepts("X_PORT"));
        assertEquals(false, config.accepts("X_ADMIN"));
        assertEquals(false, config.accepts("X_ADMIN_PASSWORDS"));
        assertEquals(List.of("X_ADMIN_PASSWORD"), List.of(ServiceConfig.envName("x.admin.password")));
    }
}
