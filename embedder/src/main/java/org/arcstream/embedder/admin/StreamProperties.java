package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;

/**
 * How frames are processed (keys {@code embedder.stream.*}).
 *
 * @param batchSize faces gathered into one embedding inference call
 * @param batchMaxWait longest a face waits for its batch to fill
 * @param cameras the camera ids this service expects; they get their own metric label, every other
 *     camera is counted under {@code other} so that a misbehaving sender cannot grow the metrics without bound
 */
@ConfigurationProperties("embedder.stream")
public record StreamProperties(
        @Bindable(defaultValue = "8") int batchSize,
        @Bindable(defaultValue = "50ms") Duration batchMaxWait,
        @Bindable(defaultValue = "") List<String> cameras) {

    public StreamProperties {
        if (batchSize < 1) {
            throw new IllegalArgumentException("embedder.stream.batch-size must be at least 1, got " + batchSize);
        }
        if (batchMaxWait.isNegative()) {
            throw new IllegalArgumentException("embedder.stream.batch-max-wait must not be negative, got " + batchMaxWait);
        }
        cameras = cameras == null ? List.of() : cameras.stream().map(String::trim).filter(c -> !c.isEmpty()).toList();
    }
}
