package org.arcstream.ingest;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import org.arcstream.ingest.publish.CameraStats;

/**
 * A camera as {@code GET /cameras} reports it.
 *
 * @param state {@code starting}, {@code running}, {@code finished} (a file source came to its end),
 *     {@code stopped} or {@code failed}
 * @param error why the camera failed, else null
 * @param unreadable items the source passed over as no readable frame (see {@link CameraStats})
 */
@Serdeable
public record CameraStatus(String camera, String source, String state, @Nullable String error,
        long read, long sent, long dropped, long oversized, long failed, long unreadable) {

    static CameraStatus of(String source, String state, String error, CameraStats stats) {
        return new CameraStatus(stats.camera(), source, state, error, stats.read(), stats.sent(), stats.dropped(),
                stats.oversized(), stats.failed(), stats.unreadable());
    }
}
