package org.arcstream.embedder.console;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import org.arcstream.core.topics.MatchRecord;

/** A match as the console shows it: the {@code matches} record's fields, snake_case as on the topic. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record LiveMatch(String camera, long sequence, long capturedAt, int face, float[] box, String identity,
        @Nullable String name, float score, float runnerUpScore, float threshold, String modelVersion) {

    static LiveMatch of(MatchRecord m) {
        return new LiveMatch(m.camera(), m.sequence(), m.capturedAt(), m.face(), m.box(), m.identity(), m.name(),
                m.score(), m.runnerUpScore(), m.threshold(), m.modelVersion());
    }
}
