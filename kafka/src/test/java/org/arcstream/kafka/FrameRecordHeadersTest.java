package org.arcstream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.arcstream.core.topics.FrameHeaders;
import org.junit.jupiter.api.Test;

class FrameRecordHeadersTest {

    @Test
    void putReplacesAndStringReadsUtf8() {
        RecordHeaders headers = new RecordHeaders();
        FrameRecordHeaders.put(headers, FrameHeaders.CAMERA, "cam-1");
        FrameRecordHeaders.put(headers, FrameHeaders.CAMERA, "caméra-2");
        assertEquals(1, headers.toArray().length);
        assertEquals("caméra-2", FrameRecordHeaders.string(headers, FrameHeaders.CAMERA));
        assertEquals("caméra-2", new String(headers.lastHeader(FrameHeaders.CAMERA).value(), StandardCharsets.UTF_8));
        assertNull(FrameRecordHeaders.string(headers, FrameHeaders.SEQUENCE));
    }

    @Test
    void numbersFallBackWhenAbsentAndNameTheHeaderWhenMalformed() {
        RecordHeaders headers = new RecordHeaders();
        assertEquals(-1, FrameRecordHeaders.number(headers, FrameHeaders.SEQUENCE, -1));
        headers.add(FrameHeaders.SEQUENCE, " 42 ".getBytes(StandardCharsets.UTF_8));
        assertEquals(42, FrameRecordHeaders.number(headers, FrameHeaders.SEQUENCE, -1));
        headers.add(FrameHeaders.CAPTURE_TIMESTAMP, "soon".getBytes(StandardCharsets.UTF_8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrameRecordHeaders.number(headers, FrameHeaders.CAPTURE_TIMESTAMP, 0));
        assertTrue(e.getMessage().contains("capture-ts"), e.getMessage());
    }

    @Test
    void aHeaderWithoutValueReadsAsAbsent() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(FrameHeaders.SEQUENCE, null);
        assertNull(FrameRecordHeaders.string(headers, FrameHeaders.SEQUENCE));
        assertEquals(7, FrameRecordHeaders.number(headers, FrameHeaders.SEQUENCE, 7));
    }
}
