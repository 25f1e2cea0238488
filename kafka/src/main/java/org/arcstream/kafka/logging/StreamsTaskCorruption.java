package org.arcstream.kafka.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Marker;

/**
 * Turns Kafka Streams' reports of a corrupted task into one plain line. After an unclean stop (SIGKILL, a
 * lost node, a commit cut off by an outage), exactly-once Streams cannot trust a task's local state, wipes
 * it and restores it from the changelog: nothing is lost and nobody needs to act. Streams reports that as an
 * ERROR ("Get exceptions for the following tasks") and two warnings with a stack trace each; this filter
 * drops those and logs {@code local state of tasks [...] is rebuilt from Kafka after an unclean stop} at INFO
 * instead. Any other task exception, and any corruption mixed with one, passes untouched. Included by
 * logback-libraries.xml.
 */
public final class StreamsTaskCorruption extends TurboFilter {

    static final String TASK_MANAGER = "org.apache.kafka.streams.processor.internals.TaskManager";
    static final String STREAM_THREAD = "org.apache.kafka.streams.processor.internals.StreamThread";
    static final String STATE_MANAGER = "org.apache.kafka.streams.processor.internals.ProcessorStateManager";
    static final String STATE_DIRECTORY = "org.apache.kafka.streams.processor.internals.StateDirectory";
    private static final String TASK_CORRUPTED = "org.apache.kafka.streams.errors.TaskCorruptedException";
    /** A fully qualified exception or error class name, as an exception's toString begins. */
    private static final Pattern EXCEPTION_NAME = Pattern.compile("\\b[a-z]\\w*(?:\\.[\\w$]+)+(?:Exception|Error)\\b");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null || !level.isGreaterOrEqual(Level.WARN)) {
            return FilterReply.NEUTRAL;
        }
        // Kafka's loggers put "stream-thread [name] " (and the like) in front of the message
        String name = logger.getName();
        if (name.equals(TASK_MANAGER) && format.contains("Get exceptions for the following tasks")) {
            return onlyCorruption(format, params) ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
        if (name.equals(TASK_MANAGER) && format.contains("Encounter corrupted task") && isCorruption(t)) {
            return FilterReply.DENY;
        }
        if (name.equals(STATE_MANAGER) && format.contains("did not find checkpoint offsets while stores are not empty")) {
            return FilterReply.DENY;
        }
        if (name.equals(STATE_DIRECTORY) && format.contains("Failed to register startup state stores") && params != null
                && params.length > 0 && String.valueOf(params[params.length - 1]).contains("are corrupted")) {
            return FilterReply.DENY;
        }
        // the stream thread handles every corruption here, once: the one line that is left
        if (name.equals(STREAM_THREAD) && format.contains("Detected the states of tasks") && isCorruption(t)) {
            // through the logging context of the event it replaces
            logger.getLoggerContext().getLogger(StreamsTaskCorruption.class).info("local state of tasks {} is rebuilt from Kafka after an unclean stop (exactly-once cannot trust it); nothing is lost",
                    tasks(t));
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }

    /**
     * True when every task's exception is a corruption: from the map of task ids to exceptions when it is
     * passed as a parameter, else (Kafka's LogContext formats the message itself) from the exception class
     * names in the text.
     */
    private static boolean onlyCorruption(String format, Object[] params) {
        if (params != null && params.length == 1 && params[0] instanceof Map<?, ?> byTask) {
            return !byTask.isEmpty() && byTask.values().stream().allMatch(e -> e instanceof Throwable thrown && isCorruption(thrown));
        }
        Matcher names = EXCEPTION_NAME.matcher(format);
        boolean any = false;
        while (names.find()) {
            if (!names.group().equals(TASK_CORRUPTED)) {
                return false;
            }
            any = true;
        }
        return any;
    }

    private static boolean isCorruption(Throwable t) {
        return t != null && t.getClass().getName().equals(TASK_CORRUPTED);
    }

    /** "[0_3, 1_0]" from the exception's message "Tasks [0_3, 1_0] are corrupted ..."; else the message. */
    private static String tasks(Throwable t) {
        String message = String.valueOf(t.getMessage());
        int open = message.indexOf('['), close = message.indexOf(']', open + 1);
        return open >= 0 && close > open ? message.substring(open, close + 1) : message;
    }
}
