package org.arcstream.embedder.admin;

import io.micronaut.serde.annotation.Serdeable;
import org.arcstream.core.topics.MatchRecord;

/** One match as {@code GET /admin/matches} lists it: which face of which frame, who, and with what scores. */
@Serdeable
public record RecentMatch(String camera, long sequence, long capturedAt, int face, float[] box,
        String identity, String name, float score, float runnerUpScore, float threshold, String modelVersion) {

    static RecentMatch of(MatchRecord m) {
        return new RecentMatch(m.camera(), m.sequence(), m.capturedAt(), m.face(), m.box(),
                m.identity(), m.name(), m.score(), m.runnerUpScore(), m.threshold(), m.modelVersion());
    }
}
