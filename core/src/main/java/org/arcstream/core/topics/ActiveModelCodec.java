package org.arcstream.core.topics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** JSON form of {@link ActiveModel}, the value of the active-model topic. */
public final class ActiveModelCodec {

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ActiveModelCodec() {}

    public static byte[] encode(ActiveModel value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a record; an unknown format version or a missing active version is refused. */
    public static ActiveModel decode(byte[] json) {
        ActiveModel m;
        try {
            m = JSON.readValue(json, ActiveModel.class);
        } catch (IOException | RuntimeException e) {
            throw new RecordFormatException("not an active-model record: " + e.getMessage(), e);
        }
        if (m == null) {
            throw new RecordFormatException("not an active-model record: the JSON value null");
        }
        String text = new String(json, StandardCharsets.UTF_8);
        if (m.version() != ActiveModel.VERSION) {
            throw new RecordFormatException("active-model version " + m.version() + " is not supported (expected "
                    + ActiveModel.VERSION + "): " + Excerpt.quote(text));
        }
        if (m.active() == null || m.active().isBlank()) {
            throw new RecordFormatException("active-model record without an active version: " + Excerpt.quote(text));
        }
        return m;
    }
}
