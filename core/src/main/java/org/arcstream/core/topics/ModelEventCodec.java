package org.arcstream.core.topics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** JSON form of {@link ModelEvent}, the value of the models topic. */
public final class ModelEventCodec {

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ModelEventCodec() {}

    public static byte[] encode(ModelEvent event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads an event; an unknown version, a missing field or a version that is not the sha256 prefix
     * is refused, because a consumer would otherwise load a model it cannot verify.
     */
    public static ModelEvent decode(byte[] json) {
        ModelEvent e;
        try {
            e = JSON.readValue(json, ModelEvent.class);
        } catch (IOException | RuntimeException ex) {
            throw new RecordFormatException("not a model event: " + ex.getMessage(), ex);
        }
        if (e == null) {
            throw new RecordFormatException("not a model event: the JSON value null");
        }
        String text = new String(json, StandardCharsets.UTF_8);
        if (e.version() != ModelEvent.VERSION) {
            throw new RecordFormatException("model event version " + e.version() + " is not supported (expected "
                    + ModelEvent.VERSION + "): " + Excerpt.quote(text));
        }
        if (e.sha256() == null || !e.sha256().matches("[0-9a-f]{64}")) {
            throw new RecordFormatException("model event without a valid sha256: " + Excerpt.quote(text));
        }
        if (e.modelVersion() == null || !e.sha256().startsWith(e.modelVersion()) || e.modelVersion().isEmpty()) {
            throw new RecordFormatException("model event version is not a prefix of its sha256: " + Excerpt.quote(text));
        }
        if (e.location() == null || e.location().isBlank()) {
            throw new RecordFormatException("model event without a location: " + Excerpt.quote(text));
        }
        return e;
    }
}
