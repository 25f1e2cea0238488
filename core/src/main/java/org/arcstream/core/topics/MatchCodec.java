package org.arcstream.core.topics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.arcstream.core.match.MatchResult;

/** JSON form of {@link MatchRecord}, and its construction from a face and its match result. */
public final class MatchCodec {

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private MatchCodec() {}

    public static MatchRecord of(FaceEmbeddingRecord face, MatchResult match) {
        FrameRef f = face.frame();
        return new MatchRecord(MatchRecord.VERSION, f.camera(), f.sequence(), f.partition(), f.offset(),
                face.captureMillis(), face.faceIndex(),
                new float[] {face.box().x1(), face.box().y1(), face.box().x2(), face.box().y2()},
                match.known() ? match.identity().id() : MatchRecord.UNKNOWN,
                match.known() ? match.identity().name() : null,
                match.score(), match.runnerUpScore(), match.threshold(), face.modelVersion());
    }

    public static byte[] encode(MatchRecord record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a match; newer versions are refused rather than misread (consumers skip unknown fields of the same version). */
    public static MatchRecord decode(byte[] json) {
        MatchRecord r;
        try {
            r = JSON.readValue(json, MatchRecord.class);
        } catch (IOException e) {
            throw new RecordFormatException("not a match record: " + e.getMessage(), e);
        }
        if (r.version() != MatchRecord.VERSION) {
            throw new RecordFormatException("match record version " + r.version() + " is not supported (expected "
                    + MatchRecord.VERSION + "): " + new String(json, StandardCharsets.UTF_8));
        }
        return r;
    }
}
