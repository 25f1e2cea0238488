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

    private volatile FacePipelineConfig config;
    private final Deque<FacePipeline> idle = new ArrayDeque<>();
    private final List<FacePipeline> all = new ArrayList<>();
    private int lent;
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
        lent++;
        return pipeline;
    }

    public synchronized void release(FacePipeline pipeline) {
        lent--;
        if (closed || !pipeline.config().equals(config)) {
            // a pipeline of a replaced embedding model is not lent again
            all.remove(pipeline);
            pipeline.close();
        } else {
            idle.push(pipeline);
        }
    }

    // ---- embedding model hot swap (see org.arcstream.embedder.model) ----

    /**
     * The pipeline a user should use now: {@code held} when it embeds with the current model, else
     * {@code held} is given back and a pipeline of the current model is lent instead. The stream calls
     * it between batches, so a batch is embedded by one model and no face waits for a restart.
     */
    public FacePipeline current(FacePipeline held) {
        if (held.config().equals(config)) {
            return held;
        }
        release(held);
        return borrow();
    }

    /**
     * Makes {@code next} the configuration of every pipeline lent from now on. As many pipelines as
     * are lent out are loaded first, outside the lock, so that the users' switch does not wait for
     * model loading; idle pipelines of the old configuration are closed.
     */
    public void switchTo(FacePipelineConfig next) {
        int warm;
        synchronized (this) {
            if (closed || next.equals(config)) {
                return;
            }
            warm = Math.max(1, lent);
        }
        List<FacePipeline> loaded = new ArrayList<>(warm);
        try {
            for (int i = 0; i < warm; i++) {
                loaded.add(new FacePipeline(next));
            }
        } catch (RuntimeException e) {
            loaded.forEach(FacePipeline::close);
            throw e;
        }
        synchronized (this) {
            if (closed) {
                loaded.forEach(FacePipeline::close);
                return;
            }
            config = next;
            idle.forEach(p -> {
                all.remove(p);
                p.close();
            });
            idle.clear();
            loaded.forEach(idle::push);
            all.addAll(loaded);
        }
    }
    // ---- end of hot swap ----

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
