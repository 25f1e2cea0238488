package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * With the service's logging configuration (logback.xml and the shared logback-libraries.xml), what Kafka Streams
 * logs when it finds a task's state corrupted after an unclean stop, word for word as Kafka Streams 4.3 logs it,
 * comes out as one INFO line without a stack trace; other task failures keep their ERROR.
 */
class TaskCorruptionLogTest {

    private static final String TASK_MANAGER = "org.apache.kafka.streams.processor.internals.TaskManager";
    private static final String STREAM_THREAD = "org.apache.kafka.streams.processor.internals.StreamThread";
    private static final String STATE_MANAGER = "org.apache.kafka.streams.processor.internals.ProcessorStateManager";

    private LoggerContext context;
    private ListAppender<ILoggingEvent> seen;

    @BeforeEach
    void configure() throws Exception {
        context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(TaskCorruptionLogTest.class.getResource("/logback.xml"));
        seen = new ListAppender<>();
        seen.setContext(context);
        seen.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(seen);
    }

    @Test
    void aCorruptedTaskAfterAnUncleanStopIsOneInfoLine() {
        TaskCorruptedException corrupted = new TaskCorruptedException(Set.of(new TaskId(1, 0)));
        // as ProcessorStateManager, TaskManager and StreamThread log it on a restart with state but no checkpoint
        context.getLogger(STATE_MANAGER).warn("State store {} did not find checkpoint offsets while stores are not empty, "
                + "since under EOS it has the risk of getting uncommitted data in stores we have to "
                + "treat it as a task corruption error and wipe out the local state of task {} before re-bootstrapping",
                "enrollment-samples", new TaskId(1, 0));
        context.getLogger(TASK_MANAGER).error("Get exceptions for the following tasks: {}", Map.of(new TaskId(1, 0), corrupted));
        context.getLogger(TASK_MANAGER).warn("Encounter corrupted task 1_0, will group it with other corrupted tasks and handle together",
                corrupted);
        context.getLogger(STREAM_THREAD).warn("Detected the states of tasks [1_0] are corrupted. "
                + "Will close the task as dirty and re-create and bootstrap from scratch.", corrupted);

        List<ILoggingEvent> events = seen.list;
        assertEquals(1, events.size(), events.toString());
        assertEquals(Level.INFO, events.get(0).getLevel());
        assertEquals("local state of tasks [1_0] is rebuilt from Kafka after an unclean stop (exactly-once cannot trust it); nothing is lost",
                events.get(0).getFormattedMessage());
        assertNull(events.get(0).getThrowableProxy());
    }

    @Test
    void otherTaskFailuresKeepTheirError() {
        StreamsException fatal = new StreamsException("broken", new TimeoutException("x"));
        context.getLogger(TASK_MANAGER).error("Get exceptions for the following tasks: {}",
                Map.of(new TaskId(0, 1), fatal, new TaskId(1, 0), new TaskCorruptedException(Set.of(new TaskId(1, 0)))));

        assertEquals(1, seen.list.size(), seen.list.toString());
        assertEquals(Level.ERROR, seen.list.get(0).getLevel());
    }
}
