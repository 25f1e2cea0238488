package org.arcstream.core.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.arcstream.core.config.Settings;
import org.arcstream.core.image.RgbImage;

/**
 * The face pipeline over a batch of images, split over {@code workers} threads that each take whole images
 * with a {@link FacePipeline} (predictors) of their own; the models' sessions are shared. The face models are
 * small, so two images at a time keep the cores busier than one image whose every operator is split over
 * them, and decoding, landmarks, NMS and warps (plain Java) run in parallel too. Each worker takes
 * {@link FacePipelineConfig#embedBatch()} images at a time and embeds their faces together. Results come
 * back in the order of the images, each with its faces or its own error.
 *
 * <p>The calling thread is the first worker; the other threads start with the first batch and stop on
 * {@link #close()}. One batch at a time: concurrent calls wait for each other.
 */
public final class ParallelFacePipeline implements AutoCloseable {

    /** The setting: images worked on at once; 0 = one per core. */
    public static final String WORKERS_KEY = "inference.workers";

    private final FacePipelineConfig config;
    private final List<FacePipeline> pipelines;
    private ExecutorService threads;
    /** The pool's threads, so that {@link #close()} returns only once they have ended, not merely finished their tasks. */
    private final List<Thread> started = new CopyOnWriteArrayList<>();
    private boolean closed;

    private ParallelFacePipeline(FacePipelineConfig config, List<FacePipeline> pipelines) {
        this.config = config;
        this.pipelines = pipelines;
    }

    /** Loads (or takes the loaded) models and makes one pipeline per worker; no thread starts yet. */
    public static ParallelFacePipeline open(FacePipelineConfig config, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("a parallel face pipeline needs at least one worker, got " + workers);
        }
        return new ParallelFacePipeline(config, List.copyOf(FacePipeline.openAll(config, workers)));
    }

    /** The {@value #WORKERS_KEY} setting, 0 resolved to the number of cores. */
    public static int workers(Settings settings) {
        int workers = settings.integer(WORKERS_KEY);
        if (workers < 0) {
            throw new IllegalArgumentException(WORKERS_KEY + " must be 0 (one per core) or a positive number, got " + workers);
        }
        return workers == 0 ? Runtime.getRuntime().availableProcessors() : workers;
    }

    /** Every face of every encoded image, decoded with the configured image limits. */
    public List<ImageFaces> analyzeEncoded(List<byte[]> images) {
        return run(images.size(), (pipeline, i) -> pipeline.decoder().decode(images.get(i)));
    }

    /** Every face of every image. */
    public List<ImageFaces> analyze(List<RgbImage> images) {
        return run(images.size(), (pipeline, i) -> images.get(i));
    }

    private interface Source {
        RgbImage image(FacePipeline pipeline, int index);
    }

    private synchronized List<ImageFaces> run(int count, Source source) {
        if (closed) {
            throw new IllegalStateException("face pipeline is closed");
        }
        ImageFaces[] results = new ImageFaces[count];
        int chunk = Math.max(1, config.embedBatch());
        int chunks = (count + chunk - 1) / chunk;
        AtomicInteger next = new AtomicInteger();
        IntFunction<Runnable> worker = w -> () -> {
            FacePipeline pipeline = pipelines.get(w);
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                analyzeChunk(pipeline, source, c * chunk, Math.min(count, (c + 1) * chunk), results);
            }
        };
        int used = Math.min(pipelines.size(), chunks);
        List<Future<?>> others = new ArrayList<>(used);
        for (int w = 1; w < used; w++) {
            others.add(threads().submit(worker.apply(w)));
        }
        try {
            if (used > 0) {
                worker.apply(0).run();
            }
        } finally {
            awaitAll(others);
        }
        return Arrays.asList(results);
    }

    /** Locates the faces of images [from, to), then embeds them together; a failure stays with its image. */
    private static void analyzeChunk(FacePipeline pipeline, Source source, int from, int to, ImageFaces[] results) {
        List<List<Face>> located = new ArrayList<>(to - from);
        List<Face> all = new ArrayList<>();
        for (int i = from; i < to; i++) {
            try {
                List<Face> faces = pipeline.locate(source.image(pipeline, i));
                located.add(faces);
                all.addAll(faces);
            } catch (RuntimeException e) {
                located.add(null);
                results[i] = ImageFaces.failed(e);
            }
        }
        List<Face> embedded;
        try {
            embedded = pipeline.embedAll(all);
        } catch (RuntimeException e) {
            // embed image by image, so that only the image that fails is lost
            for (int i = from; i < to; i++) {
                List<Face> faces = located.get(i - from);
                if (faces != null) {
                    try {
                        results[i] = ImageFaces.of(pipeline.embedAll(faces));
                    } catch (RuntimeException alone) {
                        results[i] = ImageFaces.failed(alone);
                    }
                }
            }
            return;
        }
        int at = 0;
        for (int i = from; i < to; i++) {
            List<Face> faces = located.get(i - from);
            if (faces != null) {
                results[i] = ImageFaces.of(embedded.subList(at, at + faces.size()));
                at += faces.size();
            }
        }
    }

    private ExecutorService threads() {
        if (threads == null) {
            AtomicInteger n = new AtomicInteger(1);
            threads = Executors.newFixedThreadPool(pipelines.size() - 1, r -> {
                Thread t = new Thread(r, "face-pipeline-worker-" + n.getAndIncrement());
                t.setDaemon(true);
                started.add(t);
                return t;
            });
        }
        return threads;
    }

    private static void awaitAll(List<Future<?>> futures) {
        boolean interrupted = false;
        Throwable failure = null;
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    // the workers write into this call's results: wait for them to finish, then pass the interrupt on
                    interrupted = true;
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Stops the worker threads and closes every worker's pipeline; a second close does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (threads != null) {
            threads.shutdown();
            try {
                // a terminated pool's threads may still be on their way out: wait for them too
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                threads.awaitTermination(1, TimeUnit.MINUTES);
                for (Thread t : started) {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pipelines.forEach(FacePipeline::close);
    }
}
