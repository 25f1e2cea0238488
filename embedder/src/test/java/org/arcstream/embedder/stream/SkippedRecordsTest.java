package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Every skipped record is counted; the log gets each kind at once and then at most once a minute, with the count in between. */
class SkippedRecordsTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(SkippedRecords.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final List<String> counted = new CopyOnWriteArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private SkippedRecords skips;

    @BeforeEach
    void start() {
        log.start();
        logger.addAppender(log);
        skips = new SkippedRecords(new PipelineListener() {
            @Override
            public void onSkipped(String input, String reason) {
                counted.add(input + " " + reason);
            }
        }, now::get);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(log);
    }

    @Test
    void eachRecordIsCountedAndEachKindLoggedAtMostOnceAMinute() {
        for (int i = 0; i < 1000; i++) {
            skips.skip("centroids", "ann/" + i, "unusable-centroid: centroid 0 is all zeros");
        }
        skips.skip("centroids", "bob/m", "unreadable-centroid: not a centroid record (bad magic)");
        assertEquals(1001, counted.size());
        assertEquals(2, log.list.size(), "the first of each kind");
        assertTrue(log.list.get(0).getFormattedMessage().contains("'ann/0' of centroids skipped: unusable-centroid: centroid 0 is all zeros"),
                log.list.get(0).getFormattedMessage());

        now.addAndGet(SkippedRecords.QUIET.toNanos());
        skips.skip("centroids", "ann/x", "unusable-centroid: centroid 0 has a NaN value at index 1");
        assertEquals(3, log.list.size());
        assertTrue(log.list.get(2).getFormattedMessage().endsWith("(and 999 more of this kind since the last report)"),
                log.list.get(2).getFormattedMessage());
        skips.skip("centroids", "k".repeat(1_000_000), "unusable-centroid: x");
        assertEquals(3, log.list.size(), "within the minute again");
        assertEquals("unusable-centroid", SkippedRecords.kindOf("unusable-centroid: x"));
    }
}
