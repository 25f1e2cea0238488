package org.arcstream.embedder.gallery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Map;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.RecordFormatException;
import org.junit.jupiter.api.Test;

class StoredSampleTest {

    private static final EnrollmentRecord SAMPLE = new EnrollmentRecord("ann", "Ann", "a.jpg", 5L, new byte[0],
            Map.of("m1", new float[] {0.6f, 0.8f}));

    @Test
    void keepsTheSampleAndWhereItsRecordIs() {
        StoredSample back = StoredSample.decode(StoredSample.encode(SAMPLE, new EnrollmentPosition(0, 1234567890123L)));
        assertEquals(new EnrollmentPosition(0, 1234567890123L), back.position());
        assertEquals("a.jpg", back.sample().source());
        assertArrayEquals(new float[] {0.6f, 0.8f}, back.sample().embeddings().get("m1"));
    }

    @Test
    void valuesStoredBeforePositionsWereKeptStillDecodeWithoutOne() {
        StoredSample old = StoredSample.decode(EnrollmentCodec.encode(SAMPLE));
        assertNull(old.position());
        assertEquals("Ann", old.sample().name());
    }

    @Test
    void aTruncatedOrNewerValueIsAFormatError() {
        byte[] value = StoredSample.encode(SAMPLE, new EnrollmentPosition(0, 7));
        assertThrows(RecordFormatException.class, () -> StoredSample.decode(Arrays.copyOf(value, 10)));
        byte[] newer = value.clone();
        newer[2] = 2;
        assertThrows(RecordFormatException.class, () -> StoredSample.decode(newer));
    }
}
