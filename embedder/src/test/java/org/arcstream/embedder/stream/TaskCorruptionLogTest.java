package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With the service's logging configuration (logback.xml and the shared logback-libraries.xml), what Kafka Streams 4.3
 * logs when it finds a task's state corrupted after an unclean stop (the messages and loggers seen in the
 * sigkill-embedder drill, written through Kafka's own LogContext as Streams writes them) comes out as one INFO
 * line without a stack trace; other task failures keep their ERROR.
 */
class TaskCorruptionLogTest {

    private static final String PREFIX = "stream-thread [arcstream-embedder-f5c6ab56-StreamThread-1] ";
    private static final String INTERNALS = "org.apache.kafka.streams.processor.internals.";

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final ListAppender<ILoggingEvent> seen = new ListAppender<>();

    @BeforeEach
    void listen() {
        assertFalse(context.getTurboFilterList().isEmpty(), "the service's logback.xml is in use");
        seen.setContext(context);
        seen.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(seen);
    }

    @AfterEach
    void stopListening() {
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(seen);
    }

    @Test
    void aCorruptedTaskAfterAnUncleanStopIsOneInfoLine() {
        TaskId task = new TaskId(1, 0);
        TaskCorruptedException corrupted = new TaskCorruptedException(Set.of(task));
        LoggerFactory.getLogger(INTERNALS + "StateDirectory").warn("Failed to register startup state stores for task {}: {}", task,
                corrupted.getMessage());
        kafka("ProcessorStateManager").warn("State store {} did not find checkpoint offsets while stores are not empty, "
                + "since under EOS it has the risk of getting uncommitted data in stores we have to "
                + "treat it as a task corruption error and wipe out the local state of task {} before re-bootstrapping",
                "enrollment-samples", task);
        kafka("TaskManager").error("Get exceptions for the following tasks: {}", Map.of(task, corrupted));
        kafka("TaskManager").warn("Encounter corrupted task " + task + ", will group it with other corrupted tasks and handle together",
                corrupted);
        kafka("StreamThread").warn("Detected the states of tasks " + corrupted.corruptedTasks() + " are corrupted. "
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
        kafka("TaskManager").error("Get exceptions for the following tasks: {}",
                Map.of(new TaskId(0, 1), fatal, new TaskId(1, 0), new TaskCorruptedException(Set.of(new TaskId(1, 0)))));

        assertEquals(1, seen.list.size(), seen.list.toString());
        assertEquals(Level.ERROR, seen.list.get(0).getLevel());
    }

    /** A logger of Kafka Streams' internals as Streams makes it: through LogContext, which formats the message itself. */
    private static Logger kafka(String simpleName) {
        try {
            return new LogContext(PREFIX).logger(Class.forName(INTERNALS + simpleName));
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
