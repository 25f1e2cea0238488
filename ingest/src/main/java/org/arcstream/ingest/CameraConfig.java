package org.arcstream.ingest;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * One camera of the ingest service: {@code ingest.cameras.<id>.source|fps|loop}.
 *
 * @param id the camera id: the record key and {@code camera} header of its frames
 * @param source image folder, image or video file, {@code rtsp://} or {@code http(s)://} MJPEG URL
 * @param fps target frame rate; 0 = as fast as the source and Kafka go
 * @param loop start over at the end: files from their beginning, live streams by reconnecting
 */
@EachProperty("ingest.cameras")
public record CameraConfig(@Parameter String id, @Nullable String source,
        @Bindable(defaultValue = "0") double fps, @Bindable(defaultValue = "false") boolean loop) {
}
