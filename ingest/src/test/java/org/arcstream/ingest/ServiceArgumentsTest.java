package org.arcstream.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
