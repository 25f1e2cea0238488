package org.arcstream.embedder.stream;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;

/**
 * Face pipelines lent out for one use at a time (a frame, a batch, an enrollment request): a pipeline
 * is not thread-safe, so each user holds its own while it works. The models behind them are loaded
 * once per process and shared (core's {@code SharedModels}); a pipeline is only the predictors, so
 * the pool stays small: at most two pipelines per stream thread (one locating a frame's faces, one embedding a batch
 * on the thread's embedding worker) plus {@code requestPipelines} for requests. A borrower beyond that waits up to {@code wait}, then gets a {@link PipelinesBusyException}.
 * Requests have their own share, so they can never keep the stream threads waiting.
 */
public final class FacePipelinePool implements AutoCloseable {

    /** Pipelines for enrollment requests beside two per stream thread, unless configured otherwise. */
    public static final int REQUEST_PIPELINES = 2;
    /** How long a borrower waits for a free pipeline, unless configured otherwise. */
    public static final int WAIT_SECONDS = 30;
    public static final Duration WAIT = Duration.ofSeconds(WAIT_SECONDS);

    private volatile FacePipelineConfig config;
    private final int maxPipelines;
    private final int requestPipelines;
    private final Duration wait;
    private final Semaphore permits;
    private final Semaphore requestPermits;
    private final Deque<FacePipeline> idle = new ArrayDeque<>();
    /** Every lent pipeline, and whether a request borrowed it. */
    private final Map<FacePipeline, Boolean> lent = new IdentityHashMap<>();
    private boolean closed;

    /** A pool for one stream thread, with the default share for requests and the default wait. */
    public FacePipelinePool(FacePipelineConfig config) {
        this(config, 1, REQUEST_PIPELINES, WAIT);
    }

    /**
     * @param streamThreads the stream threads that borrow from the pool (two pipelines each at a time: the thread and its
     *     embedding worker)
     * @param requestPipelines pipelines for requests (enrollment) at the same time
     * @param wait the longest a borrower waits for a free pipeline
     */
    public FacePipelinePool(FacePipelineConfig config, int streamThreads, int requestPipelines, Duration wait) {
        if (streamThreads < 1 || requestPipelines < 1) {
            throw new IllegalArgumentException("a face pipeline pool needs at least one pipeline for the stream and one for requests, got "
                    + streamThreads + " and " + requestPipelines);
        }
        this.config = config;
        this.maxPipelines = 2 * streamThreads + requestPipelines;
        this.requestPipelines = requestPipelines;
        this.wait = wait;
        this.permits = new Semaphore(maxPipelines, true);
        this.requestPermits = new Semaphore(requestPipelines, true);
    }

    public FacePipelineConfig config() {
        return config;
    }

    /** The model version of the embeddings this pool's pipelines make. */
    public String modelVersion() {
        return config.embedding().id();
    }

    /** The most pipelines this pool lends at once. */
    public int maxPipelines() {
        return maxPipelines;
    }

    /**
     * A pipeline of the current configuration for a stream thread; give it back with {@link #release}
     * once the frame or batch is done, so that a hot swap reaches the next one.
     */
    public FacePipeline borrow() {
        return lend(false);
    }

    /** A pipeline for a request (enrollment); requests share {@code requestPipelines} among them. */
    public FacePipeline borrowForRequest() {
        return lend(true);
    }

    private FacePipeline lend(boolean request) {
        if (request && !acquire(requestPermits)) {
            throw new PipelinesBusyException("all " + requestPipelines + " face pipelines for requests stayed in use for "
                    + wait.toSeconds() + " s; try again later, or raise embedder.stream.request-pipelines");
        }
        if (!acquire(permits)) {
            if (request) {
                requestPermits.release();
            }
            throw new PipelinesBusyException("all " + maxPipelines + " face pipelines stayed in use for " + wait.toSeconds() + " s");
        }
        FacePipelineConfig wanted;
        synchronized (this) {
            if (closed) {
                givePermitsBack(request);
                throw new IllegalStateException("face pipeline pool is closed");
            }
            FacePipeline pipeline = idle.poll();
            if (pipeline != null) {
                lent.put(pipeline, request);
                return pipeline;
            }
            wanted = config;
        }
        // a new pipeline only takes predictors of models the process has loaded (or loads them once): outside the lock
        FacePipeline pipeline;
        try {
            pipeline = new FacePipeline(wanted);
        } catch (RuntimeException e) {
            givePermitsBack(request);
            throw e;
        }
        synchronized (this) {
            if (closed) {
                pipeline.close();
                givePermitsBack(request);
                throw new IllegalStateException("face pipeline pool is closed");
            }
            lent.put(pipeline, request);
            return pipeline;
        }
    }

    private boolean acquire(Semaphore semaphore) {
        try {
            return semaphore.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PipelinesBusyException("interrupted while waiting for a face pipeline");
        }
    }

    private void givePermitsBack(boolean request) {
        permits.release();
        if (request) {
            requestPermits.release();
        }
    }

    public void release(FacePipeline pipeline) {
        Boolean request;
        synchronized (this) {
            request = lent.remove(pipeline);
            if (request == null) {
                throw new IllegalArgumentException("this face pipeline was not lent by this pool");
            }
            if (!closed && pipeline.config().equals(config)) {
                idle.push(pipeline);
            } else {
                // a pipeline of a replaced embedding model is not lent again, nor one that comes back after close():
                // closing it lets its models go
                pipeline.close();
            }
        }
        givePermitsBack(request);
    }

    // ---- embedding model hot swap (see org.arcstream.embedder.model) ----

    /**
     * Makes {@code next} the configuration of every pipeline lent from now on. As many pipelines as are
     * lent out are prepared first, outside the lock (the new embedding model is loaded once), so that the
     * users' next borrow does not wait for model loading; idle pipelines of the old configuration are
     * closed, lent ones when they come back, and the old model is unloaded with the last of them.
     */
    public void switchTo(FacePipelineConfig next) {
        int warm;
        synchronized (this) {
            if (closed || next.equals(config)) {
                return;
            }
            warm = Math.max(1, lent.size());
        }
        List<FacePipeline> loaded = FacePipeline.openAll(next, warm);
        synchronized (this) {
            if (closed) {
                loaded.forEach(FacePipeline::close);
                return;
            }
            config = next;
            idle.forEach(FacePipeline::close);
            idle.clear();
            loaded.forEach(idle::push);
        }
    }
    // ---- end of hot swap ----

    /**
     * Closes the idle pipelines at once and the lent ones when they come back: a stream thread that did not stop
     * in time (a shutdown with a close timeout) may still be running one, and closing its native session under it
     * would crash the process.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            idle.forEach(FacePipeline::close);
            idle.clear();
        }
    }
}
