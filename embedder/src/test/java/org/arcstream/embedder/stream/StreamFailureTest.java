package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/** Which failures of a stream thread the service rides out, and which stop the instance. */
class StreamFailureTest {

    @Test
    void aTaskThatGaveUpOnAnUnreachableClusterGetsANewThread() {
        Throwable timedOut = new StreamsException("task 0_0 timed out", new TimeoutException("Timeout expired while committing"));
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, KafkaEmbedderRuntime.onStreamFailure(timedOut));
    }

    @Test
    void anyOtherFailureStopsTheInstanceSoThatLivenessReportsIt() {
        Throwable broken = new StreamsException("processor failed", new IllegalStateException("model file is corrupt"));
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, KafkaEmbedderRuntime.onStreamFailure(broken));
    }
}
