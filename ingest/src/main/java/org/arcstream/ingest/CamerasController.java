package org.arcstream.ingest;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.List;

/** {@code GET /cameras}: every configured camera with its state and frame counts. */
@Controller("/cameras")
@Requires(env = IngestApplication.ENVIRONMENT)
public final class CamerasController {

    private final CameraFeeds feeds;

    public CamerasController(CameraFeeds feeds) {
        this.feeds = feeds;
    }

    @Get
    public List<CameraStatus> cameras() {
        return feeds.status();
    }
}
