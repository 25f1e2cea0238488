package org.arcstream.core.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ActiveModelCodecTest {

    @Test
    void roundTripKeepsEveryFieldAndWritesTheDocumentedNames() {
        ActiveModel record = ActiveModel.of("f80f83b05885", "c20fa0d6420a", "new-model", 1763000000123L);
        byte[] json = ActiveModelCodec.encode(record);
        assertEquals("{\"v\":1,\"active\":\"f80f83b05885\",\"previous\":\"c20fa0d6420a\",\"reason\":\"new-model\",\"changed_at\":1763000000123}",
                new String(json, StandardCharsets.UTF_8));
        assertEquals(record, ActiveModelCodec.decode(json));
    }

    @Test
    void firstActivationHasNoPreviousAndUnknownFieldsAreIgnored() {
        ActiveModel back = ActiveModelCodec.decode(
                "{\"v\":1,\"active\":\"abc\",\"previous\":null,\"reason\":\"promoted\",\"changed_at\":5,\"by\":\"someone\"}"
                        .getBytes(StandardCharsets.UTF_8));
        assertNull(back.previous());
        assertEquals("abc", back.active());
    }

    @Test
    void unknownFormatVersionMissingActiveAndNonJsonAreRefused() {
        for (String bad : new String[] {"{\"v\":2,\"active\":\"abc\",\"changed_at\":5}", "{\"v\":1,\"changed_at\":5}",
                "{\"v\":1,\"active\":\"  \"}", "not json", "null", "", "[1]", "\"embedding\""}) {
            RecordFormatException e = assertThrows(RecordFormatException.class,
                    () -> ActiveModelCodec.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
            assertTrue(e.getMessage().contains("active-model"), e.getMessage());
        }
    }
}
