package org.arcstream.embedder.stream;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.arcstream.core.topics.Excerpt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records that are neither used nor dead-lettered, because the reader has no dead-letter path (the
 * global centroids store, the model topics): each is counted through {@link PipelineListener#onSkipped}
 * and logged with its reason. One bad record can be read again and again (every instance reads the
 * compacted topics from the start) and a producer gone wrong writes thousands, so the log gets the
 * first record of each kind at once and then at most one line per kind and {@link #QUIET}, which
 * says how many more were skipped meanwhile. Thread-safe.
 */
public final class SkippedRecords {

    private static final Logger LOG = LoggerFactory.getLogger(SkippedRecords.class);
    /** Shortest time between two log lines of one kind. */
    static final Duration QUIET = Duration.ofMinutes(1);

    private final PipelineListener listener;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public SkippedRecords(PipelineListener listener) {
        this(listener, System::nanoTime);
    }

    SkippedRecords(PipelineListener listener, LongSupplier nanoTime) {
        this.listener = listener;
        this.nanoTime = nanoTime;
    }

    /**
     * @param input the topic the record came from
     * @param reason {@code kind: detail}; the kind groups records for the log's rate limit
     */
    public void skip(String input, String key, String reason) {
        listener.onSkipped(input, reason);
        String kind = input + " " + kindOf(reason);
        long suppressed = windows.computeIfAbsent(kind, k -> new Window()).admit(nanoTime.getAsLong());
        if (suppressed >= 0) {
            LOG.warn("record {} of {} skipped: {}{}", Excerpt.quote(key), input, reason,
                    suppressed == 0 ? "" : " (and " + suppressed + " more of this kind since the last report)");
        }
    }

    /** The kind of a {@code kind: detail} reason. */
    public static String kindOf(String reason) {
        int colon = reason == null ? -1 : reason.indexOf(':');
        return colon < 0 ? String.valueOf(reason) : reason.substring(0, colon);
    }

    /** One kind's log window: the time of its last line and what was skipped since. */
    private static final class Window {
        private long lastLogged;
        private long suppressed = -1; // -1: nothing logged yet

        /** How many were suppressed since the last line when this one may be logged, else -1. */
        synchronized long admit(long now) {
            if (suppressed < 0 || now - lastLogged >= QUIET.toNanos()) {
                long before = Math.max(0, suppressed);
                lastLogged = now;
                suppressed = 0;
                return before;
            }
            suppressed++;
            return -1;
        }
    }
}
