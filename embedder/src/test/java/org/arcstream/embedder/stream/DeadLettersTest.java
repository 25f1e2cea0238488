package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.kafka.FrameRecordHeaders;
import org.junit.jupiter.api.Test;

/** A dead letter carries as much of its original as fits under the limit, and always the reference to it. */
class DeadLettersTest {

    private static final RecordMetadata SOURCE = metadata("frames", 2, 1234);

    private static RecordMetadata metadata(String topic, int partition, long offset) {
        return new RecordMetadata() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public int partition() {
                return partition;
            }

            @Override
            public long offset() {
                return offset;
            }
        };
    }

    private static Record<String, byte[]> frame(int valueBytes, int headerBytes) {
        Headers headers = new RecordHeaders();
        FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, "7");
        headers.add("padding", new byte[headerBytes]);
        return new Record<>("cam", new byte[valueBytes], 5L, headers);
    }

    private static String header(Record<String, byte[]> r, String name) {
        return FrameRecordHeaders.string(r.headers(), name);
    }

    @Test
    void aRecordThatFitsGoesWholeWithItsSizeAndDigest() {
        Record<String, byte[]> original = frame(1000, 10);
        Record<String, byte[]> letter = new DeadLetters(10_000).of(original, "embed", "no-face: none", SOURCE);
        assertEquals(DeadLetters.INCLUDED, header(letter, DeadLetters.PAYLOAD));
        assertArrayEquals(original.value(), letter.value());
        assertEquals("cam", letter.key());
        assertEquals("7", header(letter, FrameHeaders.SEQUENCE));
        assertEquals("1000", header(letter, DeadLetters.SIZE));
        assertEquals(DeadLetters.sha256(new byte[1000]), header(letter, DeadLetters.SHA256));
        assertEquals("2", header(letter, DeadLetters.VERSION));
        assertEquals("frames", header(letter, DeadLetters.SOURCE_TOPIC));
        assertEquals("2", header(letter, DeadLetters.SOURCE_PARTITION));
        assertEquals("1234", header(letter, DeadLetters.SOURCE_OFFSET));
        assertTrue(RecordSize.upperBound(letter.key(), letter.value(), letter.headers()) <= 10_000);
    }

    @Test
    void aValueTooLargeIsLeftOutAndKeyAndHeadersStay() {
        Record<String, byte[]> letter = new DeadLetters(10_000).of(frame(20_000, 10), "embed", "no-face: none", SOURCE);
        assertEquals(DeadLetters.VALUE_OMITTED, header(letter, DeadLetters.PAYLOAD));
        assertNull(letter.value());
        assertEquals("cam", letter.key());
        assertEquals("7", header(letter, FrameHeaders.SEQUENCE));
        assertEquals("20000", header(letter, DeadLetters.SIZE));
        assertEquals(DeadLetters.sha256(new byte[20_000]), header(letter, DeadLetters.SHA256));
        assertEquals(5L, letter.timestamp());
    }

    @Test
    void headersTooLargeAreLeftOutWithTheKeyAndTheReasonIsCut() {
        String reason = "bad-header: " + "x".repeat(50_000);
        Record<String, byte[]> letter = new DeadLetters(10_000).of(frame(100, 20_000), "embed", reason, SOURCE);
        assertEquals(DeadLetters.OMITTED, header(letter, DeadLetters.PAYLOAD));
        assertNull(letter.key());
        assertNull(letter.value());
        assertNull(letter.headers().lastHeader("padding"));
        assertEquals("100", header(letter, DeadLetters.SIZE));
        assertEquals(DeadLetters.MAX_REASON_CHARS + 3, header(letter, DeadLetters.REASON).length());
        assertTrue(RecordSize.upperBound(letter.key(), letter.value(), letter.headers()) <= 10_000);
    }

    @Test
    void aTombstoneOrARecordForwardedFromAPunctuationHasNoSizeOrNoSource() {
        Record<String, byte[]> tombstone = new Record<>("ann/x", null, 1L);
        Record<String, byte[]> letter = new DeadLetters(10_000).of(tombstone, "enrollment", "unreadable-enrollment: x", metadata(null, -1, -1));
        assertEquals(DeadLetters.INCLUDED, header(letter, DeadLetters.PAYLOAD));
        assertNull(letter.headers().lastHeader(DeadLetters.SIZE));
        assertNull(letter.headers().lastHeader(DeadLetters.SHA256));
        assertNull(letter.headers().lastHeader(DeadLetters.SOURCE_TOPIC));
    }
}
