package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;
import org.arcstream.embedder.stream.FacePipelinePool;

/**
 * How frames are processed (keys {@code embedder.stream.*}).
 *
 * @param threads stream threads of this instance; each borrows one face pipeline at a time
 * @param commitInterval how often results are committed; with exactly-once, readers see matches only then
 * @param batchSize faces gathered into one embedding inference call
 * @param batchMaxWait longest a face waits for its batch to fill
 * @param cameras the camera ids whose frames are accepted (empty = every camera); each gets its own metric
 *     label, any other camera is counted under {@code other} so that no sender can grow the metrics without bound
 * @param requestPipelines face pipelines for enrollment requests at the same time, beside one per stream thread
 * @param pipelineWait how long a request waits for a free face pipeline before it is answered 503
 */
@ConfigurationProperties("embedder.stream")
public record StreamProperties(
        @Bindable(defaultValue = "1") int threads,
        @Bindable(defaultValue = "100ms") Duration commitInterval,
        @Bindable(defaultValue = "8") int batchSize,
        @Bindable(defaultValue = "50ms") Duration batchMaxWait,
        @Bindable(defaultValue = "") List<String> cameras,
        @Bindable(defaultValue = "" + FacePipelinePool.REQUEST_PIPELINES) int requestPipelines,
        @Bindable(defaultValue = FacePipelinePool.WAIT_SECONDS + "s") Duration pipelineWait) {

    public StreamProperties {
        if (threads < 1) {
            throw new IllegalArgumentException("embedder.stream.threads must be at least 1, got " + threads);
        }
        if (commitInterval.isNegative() || commitInterval.isZero()) {
            throw new IllegalArgumentException("embedder.stream.commit-interval must be positive, got " + commitInterval);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("embedder.stream.batch-size must be at least 1, got " + batchSize);
        }
        if (batchMaxWait.isNegative()) {
            throw new IllegalArgumentException("embedder.stream.batch-max-wait must not be negative, got " + batchMaxWait);
        }
        if (requestPipelines < 1) {
            throw new IllegalArgumentException("embedder.stream.request-pipelines must be at least 1, got " + requestPipelines);
        }
        if (pipelineWait.isNegative()) {
            throw new IllegalArgumentException("embedder.stream.pipeline-wait must not be negative, got " + pipelineWait);
        }
        cameras = cameras == null ? List.of() : cameras.stream().map(String::trim).filter(c -> !c.isEmpty()).toList();
    }
}
