package org.arcstream.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceArgumentsTest {

    @Test
    void theClusterOptionBecomesTheServiceKeyInEitherForm() {
        ServiceArguments spaced = ServiceArguments.parse(new String[] {"--bootstrap-servers", "k1:9092,k2:9092", "--micronaut.server.port=9000"},
                "embedder.kafka.bootstrap-servers");
        assertEquals(Map.of("embedder.kafka.bootstrap-servers", "k1:9092,k2:9092"), spaced.properties());
        assertArrayEquals(new String[] {"--micronaut.server.port=9000"}, spaced.micronaut());
        ServiceArguments joined = ServiceArguments.parse(new String[] {"--bootstrap-servers=k3:9092"}, "trainer.bootstrap-servers");
        assertEquals(Map.of("trainer.bootstrap-servers", "k3:9092"), joined.properties());
        assertEquals(0, joined.micronaut().length);
    }

    @Test
    void withoutTheOptionNothingIsSet() {
        ServiceArguments none = ServiceArguments.parse(new String[] {"--x=1"}, "k");
        assertEquals(Map.of(), none.properties());
        assertArrayEquals(new String[] {"--x=1"}, none.micronaut());
    }

    @Test
    void helpIsRecognisedInEitherFormAndNotPassedOn() {
        ServiceArguments help = ServiceArguments.parse(new String[] {"--bootstrap-servers", "k:1", "--help"}, "k");
        assertTrue(help.helpRequested());
        assertArrayEquals(new String[0], help.micronaut());
        assertTrue(ServiceArguments.parse(new String[] {"-h"}, "k").helpRequested());
        assertFalse(ServiceArguments.parse(new String[] {"--x=1"}, "k").helpRequested());
    }
}
