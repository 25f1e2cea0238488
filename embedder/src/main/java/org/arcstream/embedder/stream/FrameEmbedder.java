package org.arcstream.embedder.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.arcstream.core.image.ImageDecodeException;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.pipeline.Face;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.topics.Excerpt;
import org.arcstream.core.topics.FaceEmbeddingRecord;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.core.topics.FrameRef;
import org.arcstream.kafka.FrameRecordHeaders;

/**
 * Camera frames to face embeddings: each frame is decoded, its faces detected, landmarked and aligned
 * at once; the aligned faces then wait in the changelogged pending-faces store until a batch is full
 * ({@code maxFaces}), the input is idle, or the oldest face has waited {@code maxWait} (wall clock), and
 * are embedded in one inference call. Idle means that the stream thread went once round its loop, poll
 * included, without a frame for this task: nothing would join the batch soon, so it goes at once, and a
 * commit is asked for so that read_committed consumers see its matches at once. A busy stream (a backlog) fills
 * its batches, and asks for a commit every {@code commitInterval}, after embedding whatever waits; a quiet one trades
 * batching, which it has no use for, for latency. This processor sets the commit cadence of the frames (Kafka Streams'
 * own timer is only a backstop, {@link EmbedderTopology#streamsProperties}): the timer would commit on top of the idle
 * commits, and in the middle of a batch, sending its crops to the changelog. Commits asked for on going idle can be
 * spaced {@code idleCommitInterval} apart (0 by default: every idle commits), for machines where an exactly-once
 * commit costs the stream thread far more than a frame; a commit that is not yet due is asked for at the first idle
 * check once it is.
 * <p>With an embedding worker (the service has one per stream thread), the batches are embedded there while the stream
 * thread goes on locating the next frames' faces, which are most of a frame's work: a free worker takes whatever waits,
 * up to {@code maxFaces}, at once, one batch at a time per task, and the stream thread emits the batch at its first
 * check or frame once it is done. The batches grow with the load, and a frame takes one core for its faces' locating
 * and another for their embedding. An idle commit waits for the worker's batch; a commit at the interval waits for it
 * and embeds whatever else waits on the stream thread.
 * <p>Because the waiting faces are state, committed in the same transaction as the
 * frame offsets, a crash with a half-filled batch loses and repeats nothing under exactly-once.
 * A frame that cannot be used goes to the dead-letter sink with its reason.
 */
// the output is Object because one processor forwards to children of different value types: face
// embeddings (the faces sink and the matcher) and dead letters (the original bytes); each sink has its typed serializer
final class FrameEmbedder extends ContextualProcessor<String, byte[], String, Object> {

    static final String STAGE = "embed";
    /**
     * Longest camera id (the key, or the {@code camera} header), in UTF-8 bytes. The id goes into every
     * face and match record and names a metric; 255 bytes holds any real name.
     */
    static final int MAX_CAMERA_BYTES = 255;
    /**
     * Most bytes of headers a frame may carry (names, values and 8 bytes each). They are copied into every
     * face record, every match record and the pending-faces changelog, so megabytes of headers on a frame
     * would make records the producer refuses; ingest sends five short ones.
     */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /**
     * How often the batch is looked at on the stream thread's wall clock. Kafka Streams runs due punctuations
     * after each round of processing and after each poll that found nothing, so at this interval a check
     * follows every such step that took a millisecond or more: a check with no frame since the one before
     * comes after a poll that brought none.
     */
    static final Duration CHECK_INTERVAL = Duration.ofMillis(1);

    private final FacePipelinePool pipelines;
    private final int maxFaces;
    private final Duration maxWait;
    private final boolean flushWhenIdle;
    private final long commitIntervalMillis;
    private final long idleCommitIntervalMillis;
    private final Set<String> knownCameras;
    private final DeadLetters deadLetters;
    private final PipelineListener listener;
    private final Executor embedding;
    private KeyValueStore<Long, PendingFace> pending;
    private long nextId;
    /** Key of the oldest face in the store not yet handed to an embedding call. */
    private long nextToEmbed;
    /** Faces in the store not yet handed to an embedding call. */
    private int pendingCount;
    /** The batch being embedded on the worker, or null. */
    private Batch inFlight;
    private long oldestArrival;
    private boolean frameSinceCheck;
    private boolean frameSinceCommit;
    private long lastCommit;

    /** One embedding call: the faces' store keys, the faces, and their embeddings once made. */
    private record Batch(List<Long> ids, List<PendingFace> faces, CompletableFuture<Embedded> result) {}

    /** A batch's faces with their embeddings, the model that made them and the inference time. */
    private record Embedded(List<Face> faces, String model, long nanos) {}

    /**
     * @param embedding where batches are embedded off the stream thread, one at a time per task, while the stream thread
     *     locates the next frames' faces; null embeds on the stream thread, batches going as described above
     */
    FrameEmbedder(FacePipelinePool pipelines, int maxFaces, Duration maxWait, boolean flushWhenIdle, Duration commitInterval,
            Duration idleCommitInterval, Set<String> knownCameras, DeadLetters deadLetters, PipelineListener listener, Executor embedding) {
        this.embedding = embedding;
        this.pipelines = pipelines;
        this.maxFaces = maxFaces;
        this.maxWait = maxWait;
        this.flushWhenIdle = flushWhenIdle;
        this.commitIntervalMillis = commitInterval.toMillis();
        this.idleCommitIntervalMillis = idleCommitInterval.toMillis();
        this.knownCameras = knownCameras;
        this.deadLetters = deadLetters;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        super.init(context);
        pending = context.getStateStore(EmbedderTopology.PENDING_FACES_STORE);
        // the store is restored before init: pick up a batch that was waiting when the last owner stopped
        try (KeyValueIterator<Long, PendingFace> all = pending.all()) {
            while (all.hasNext()) {
                KeyValue<Long, PendingFace> entry = all.next();
                if (pendingCount++ == 0) {
                    oldestArrival = entry.value.arrivedAtMillis();
                    nextToEmbed = entry.key;
                }
                nextId = entry.key + 1;
            }
        }
        // a restored batch came from frames whose commit is still to come
        frameSinceCommit = pendingCount > 0;
        // the first idle commit may come at once
        lastCommit = context.currentSystemTimeMs() - idleCommitIntervalMillis;
        context.schedule(CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::check);
    }

    @Override
    public void process(Record<String, byte[]> frame) {
        harvest(false);
        frameSinceCheck = true;
        frameSinceCommit = true;
        RecordMetadata source = context().recordMetadata().orElse(null);
        long now = context().currentSystemTimeMs();
        FrameRef ref;
        long captured;
        List<Face> faces;
        // borrowed for this frame only: a stream thread holds one pipeline, whatever the number of its tasks
        FacePipeline pipeline = pipelines.borrow();
        try {
            checkSizes(frame);
            ref = new FrameRef(camera(frame), number(frame.headers(), FrameHeaders.SEQUENCE, -1),
                    source == null ? -1 : source.partition(), source == null ? -1 : source.offset());
            captured = number(frame.headers(), FrameHeaders.CAPTURE_TIMESTAMP, frame.timestamp());
            String version = FrameRecordHeaders.string(frame.headers(), FrameHeaders.VERSION);
            if (version != null && !version.trim().equals("1")) {
                throw new Rejected("bad-header", "frame format version '" + version + "' is not supported (expected 1)");
            }
            if (frame.value() == null || frame.value().length == 0) {
                throw new Rejected("not-an-image", "frame has no image");
            }
            faces = pipeline.locate(decode(pipeline, frame.value()));
        } catch (Rejected e) {
            deadLetter(frame, e.getMessage(), source);
            return;
        } catch (RuntimeException e) {
            // an image that decodes but breaks a later step must not stop the stream either
            deadLetter(frame, "unprocessable: " + e, source);
            return;
        } finally {
            pipelines.release(pipeline);
        }
        listener.onFrame(ref.camera(), faces.size());
        if (faces.isEmpty()) {
            deadLetter(frame, "no-face: no face found in the frame", source);
            return;
        }
        for (Face face : faces) {
            PendingFace waiting = new PendingFace(frame.key(), frame.timestamp(), frame.headers(), ref, captured, face, now);
            if (pendingCount++ == 0) {
                oldestArrival = now;
                nextToEmbed = nextId;
            }
            pending.put(nextId++, waiting);
        }
        if (embedding != null) {
            handOver();
            return;
        }
        while (pendingCount >= maxFaces) {
            flush(maxFaces, false);
        }
        // a slow frame (or a zero wait) can make the oldest face due before the next punctuation
        flushIfDue(now);
    }

    /** With a worker: its finished batch is emitted, and a free worker takes what waits (up to a batch) at once. */
    private void handOver() {
        harvest(false);
        if (inFlight == null && pendingCount > 0) {
            flush(Math.min(maxFaces, pendingCount), true);
        }
    }

    /** Emits the worker's batch once it is embedded ({@code wait}: waits for it). Its faces stay in the store till then. */
    private void harvest(boolean wait) {
        if (inFlight == null || !wait && !inFlight.result().isDone()) {
            return;
        }
        Batch done = inFlight;
        inFlight = null;
        Embedded embedded;
        try {
            embedded = done.result().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        emit(done.ids(), done.faces(), embedded);
    }

    /**
     * A task that closes with a batch on the worker (a rebalance, a shutdown) waits for the worker to let go of it and
     * emits nothing: its faces are still in the store, so whoever owns the task next embeds them.
     */
    @Override
    public void close() {
        if (inFlight != null) {
            inFlight.result().handle((embedded, e) -> null).join();
            inFlight = null;
        }
    }

    /**
     * The wall-clock check: a waiting batch goes when no frame came since the last check (idle), or when it is due.
     * Then a commit is asked for if frames came since the last one: on going idle (whichever way their batch went: a
     * frame that took longer than the batch wait makes its own batch due before the stream is seen idle), unless the
     * last commit is less than the idle commit interval old; while frames keep coming, once the commit interval has
     * passed, after embedding the faces still waiting, so that no crop goes to the changelog with the commit.
     */
    private void check(long now) {
        boolean idle = !frameSinceCheck && flushWhenIdle;
        frameSinceCheck = false;
        if (embedding != null) {
            handOver();
        } else if (idle) {
            flushAll();
        } else {
            flushIfDue(now);
        }
        // idle, but the worker not done yet: the commit waits for its batch (the next check)
        boolean quiet = idle && inFlight == null && pendingCount == 0;
        long sinceCommit = now - lastCommit;
        if (frameSinceCommit && sinceCommit >= (quiet ? idleCommitIntervalMillis : commitIntervalMillis)) {
            flushAll();
            frameSinceCommit = false;
            lastCommit = now;
            // what they gave is visible to read_committed consumers only after a commit: ask for one now (Kafka Streams
            // commits right after this punctuation)
            context().commit();
        }
    }

    private void flushIfDue(long now) {
        if (pendingCount > 0 && now - oldestArrival >= maxWait.toMillis()) {
            flushAll();
        }
    }

    /** Embeds everything that waits here, on the stream thread (after the worker's batch, if any). */
    private void flushAll() {
        harvest(true);
        while (pendingCount > 0) {
            flush(Math.min(maxFaces, pendingCount), false);
        }
    }

    /**
     * Embeds the {@code n} oldest waiting faces in one inference call: on the worker ({@code onWorker}, emitted by a
     * later {@link #harvest}), or here and emitted at once.
     */
    private void flush(int n, boolean onWorker) {
        List<Long> ids = new ArrayList<>(n);
        List<PendingFace> batch = new ArrayList<>(n);
        try (KeyValueIterator<Long, PendingFace> waiting = pending.range(nextToEmbed, Long.MAX_VALUE)) {
            while (waiting.hasNext() && batch.size() < n) {
                KeyValue<Long, PendingFace> entry = waiting.next();
                ids.add(entry.key);
                batch.add(entry.value);
            }
        }
        nextToEmbed = ids.get(ids.size() - 1) + 1;
        pendingCount -= batch.size();
        if (pendingCount > 0) {
            try (KeyValueIterator<Long, PendingFace> waiting = pending.range(nextToEmbed, Long.MAX_VALUE)) {
                oldestArrival = waiting.next().value.arrivedAtMillis();
            }
        }
        List<Face> faces = batch.stream().map(PendingFace::face).toList();
        if (onWorker) {
            inFlight = new Batch(ids, batch, CompletableFuture.supplyAsync(() -> embed(faces), embedding));
        } else {
            emit(ids, batch, embed(faces));
        }
    }

    private Embedded embed(List<Face> faces) {
        // a pipeline of the current model: after a hot swap the next batch embeds with the new one
        FacePipeline pipeline = pipelines.borrow();
        try {
            long started = System.nanoTime();
            List<Face> embedded = pipeline.embedAll(faces);
            return new Embedded(embedded, pipeline.config().embedding().id(), System.nanoTime() - started);
        } finally {
            pipelines.release(pipeline);
        }
    }

    /** Sends the embedded faces to the faces sink and the matcher, and lets them go from the store. */
    private void emit(List<Long> ids, List<PendingFace> batch, Embedded embedded) {
        listener.onBatch(batch.size(), embedded.nanos());
        String model = embedded.model();
        for (int i = 0; i < batch.size(); i++) {
            PendingFace p = batch.get(i);
            Face face = embedded.faces().get(i);
            FaceEmbeddingRecord record = new FaceEmbeddingRecord(p.frame(), p.captureMillis(), face.index(), face.box(),
                    face.landmarks().toArray(), model, face.embedding());
            Record<String, FaceEmbeddingRecord> out = new Record<>(p.key(), record, p.timestamp(), p.headers());
            context().forward(out, EmbedderTopology.FACES_SINK);
            context().forward(out.withValue(new EmbeddedFace(record, p.face().aligned())), EmbedderTopology.MATCHER);
            pending.delete(ids.get(i));
        }
    }

    private static RgbImage decode(FacePipeline pipeline, byte[] image) {
        try {
            return pipeline.decoder().decode(image);
        } catch (ImageDecodeException e) {
            String kind = switch (e.reason()) {
                case TOO_LARGE_BYTES, TOO_MANY_PIXELS -> "oversized-image";
                case TOO_SMALL -> "undersized-image";
                case CORRUPT -> "corrupt-image";
                case EMPTY, NOT_AN_IMAGE, UNSUPPORTED_FORMAT -> "not-an-image";
            };
            throw new Rejected(kind, e.getMessage());
        }
    }

    private static void checkSizes(Record<String, byte[]> frame) {
        long headerBytes = RecordSize.headerBytes(frame.headers(), 8);
        if (headerBytes > MAX_HEADER_BYTES) {
            throw new Rejected("bad-header", "frame headers take " + headerBytes + " bytes, more than " + MAX_HEADER_BYTES);
        }
        if (frame.key() != null && RecordSize.utf8Length(frame.key()) > MAX_CAMERA_BYTES) {
            throw new Rejected("bad-header", "frame key (camera id) of " + RecordSize.utf8Length(frame.key())
                    + " bytes is longer than " + MAX_CAMERA_BYTES);
        }
    }

    private String camera(Record<String, byte[]> frame) {
        String camera = FrameRecordHeaders.string(frame.headers(), FrameHeaders.CAMERA);
        camera = camera != null ? camera : frame.key();
        if (camera == null || camera.isBlank()) {
            throw new Rejected("bad-header", "frame names no camera (key and header '" + FrameHeaders.CAMERA + "' are empty)");
        }
        if (RecordSize.utf8Length(camera) > MAX_CAMERA_BYTES) {
            throw new Rejected("bad-header", "camera id of " + RecordSize.utf8Length(camera) + " bytes is longer than " + MAX_CAMERA_BYTES);
        }
        if (!knownCameras.isEmpty() && !knownCameras.contains(camera)) {
            throw new Rejected("unknown-camera", "camera " + Excerpt.quote(camera) + " is not among the known cameras");
        }
        return camera;
    }

    private static long number(Headers headers, String name, long fallback) {
        try {
            return FrameRecordHeaders.number(headers, name, fallback);
        } catch (IllegalArgumentException e) {
            throw new Rejected("bad-header", e.getMessage());
        }
    }

    private void deadLetter(Record<String, byte[]> frame, String reason, RecordMetadata source) {
        context().forward(deadLetters.of(frame, STAGE, reason, source), EmbedderTopology.DEAD_LETTER_SINK);
    }

    /** A frame refused for a reason of the given kind; the message is "kind: detail". */
    private static final class Rejected extends RuntimeException {
        Rejected(String kind, String detail) {
            super(kind + ": " + detail, null, false, false);
        }
    }
}
