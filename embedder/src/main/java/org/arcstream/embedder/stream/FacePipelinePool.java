package org.arcstream.embedder.stream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;

/**
 * Face pipelines lent out one per user (a stream task, an enrollment request): a pipeline is not
 * thread-safe, and loading its models is slow, so pipelines are kept and reused when tasks move
 * between threads or the stream restarts.
 */
public final class FacePipelinePool implements AutoCloseable {

    private final FacePipelineConfig config;
    private final Deque<FacePipeline> idle = new ArrayDeque<>();
    private final List<FacePipeline> all = new ArrayList<>();
    private boolean closed;

    public FacePipelinePool(FacePipelineConfig config) {
        this.config = config;
    }

    public FacePipelineConfig config() {
        return config;
    }

    /** The model version of the embeddings this pool's pipelines make. */
    public String modelVersion() {
        return config.embedding().id();
    }

    /** An idle pipeline, or a new one; give it back with {@link #release}. */
    public synchronized FacePipeline borrow() {
        if (closed) {
            throw new IllegalStateException("face pipeline pool is closed");
        }
        FacePipeline pipeline = idle.poll();
        if (pipeline == null) {
            pipeline = new FacePipeline(config);
            all.add(pipeline);
        }
        return pipeline;
    }

    public synchronized void release(FacePipeline pipeline) {
        if (closed) {
            pipeline.close();
        } else {
            idle.push(pipeline);
        }
    }

    /** Closes every pipeline; call it after the stream that borrowed them has stopped. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            all.forEach(FacePipeline::close);
            idle.clear();
        }
    }
}
