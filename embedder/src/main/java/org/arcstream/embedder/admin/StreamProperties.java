package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import org.arcstream.embedder.stream.EmbedderSettings;
import org.arcstream.embedder.stream.FacePipelinePool;

/**
 * How frames are processed (keys {@code embedder.stream.*}).
 *
 * @param enabled false serves the admin API without running the stream: no gallery endpoints, no stream in readiness
 * @param threads stream threads of this instance; each borrows one face pipeline at a time (the models are loaded
 *     once per process)
 * @param commitInterval how often results are committed while frames keep coming; with {@code exactly_once_v2}
 *     consumers see matches only after a commit, and a batch sent because the stream is idle is committed at once
 *     (Kafka Streams' own timer, a backstop, runs at half the session timeout)
 * @param batchSize faces gathered into one embedding inference call, across frames
 * @param batchMaxWait longest a face waits for its batch to fill while frames keep coming; when the stream is idle
 *     (a poll brought no frame) the batch goes at once (the stream thread polls Kafka for at most 1 ms, so idle is seen within about that)
 * @param batchFlushWhenIdle false keeps a partial batch waiting for {@code batch-size} faces or {@code batch-max-wait}
 *     even when no frame is coming (fuller inference calls at the cost of latency when cameras are sparse)
 * @param idleCommitInterval shortest time between two commits asked for because the stream went idle: a stream that
 *     goes idle between frames commits at most this often (an exactly-once commit takes the stream thread about as long
 *     as a frame), and a frame's match becomes visible at most about this much later; 0 commits at every idle
 * @param cameras camera ids whose frames are accepted (comma list; empty = every camera); each listed camera gets its
 *     own metric label, any other camera is counted under {@code other} so that no sender can grow the metrics without bound
 * @param requestPipelines face pipelines for enrollment requests at the same time, beside two per stream thread (one to
 *     locate faces, one for its embedding worker)
 * @param pipelineWait how long a request waits for a free face pipeline before it is answered 503
 */
@Context
@ConfigurationProperties("embedder.stream")
public record StreamProperties(
        @Bindable(defaultValue = "true") boolean enabled,
        @Min(1) @Bindable(defaultValue = "" + EmbedderSettings.STREAM_THREADS) int threads,
        @DurationMin("1ms") @Bindable(defaultValue = EmbedderSettings.COMMIT_INTERVAL_MS + "ms") Duration commitInterval,
        @Min(1) @Bindable(defaultValue = "" + EmbedderSettings.BATCH_MAX_FACES) int batchSize,
        @DurationMin("0s") @Bindable(defaultValue = EmbedderSettings.BATCH_MAX_WAIT_MS + "ms") Duration batchMaxWait,
        @Bindable(defaultValue = "" + EmbedderSettings.BATCH_FLUSH_WHEN_IDLE) boolean batchFlushWhenIdle,
        @DurationMin("0s") @Bindable(defaultValue = EmbedderSettings.IDLE_COMMIT_INTERVAL_MS + "ms") Duration idleCommitInterval,
        @Bindable(defaultValue = "") List<String> cameras,
        @Min(1) @Bindable(defaultValue = "" + FacePipelinePool.REQUEST_PIPELINES) int requestPipelines,
        @DurationMin("0s") @Bindable(defaultValue = FacePipelinePool.WAIT_SECONDS + "s") Duration pipelineWait) {

    public StreamProperties {
        // a trailing comma in EMBEDDER_STREAM_CAMERAS is no camera
        cameras = cameras == null ? List.of() : cameras.stream().map(String::trim).filter(c -> !c.isEmpty()).toList();
    }
}
