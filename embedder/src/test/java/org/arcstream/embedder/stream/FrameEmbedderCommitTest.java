package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.Executor;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.arcstream.core.config.Settings;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.kafka.FrameRecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The commits the embedder asks for, counted on a mock context with the real models: the first idle after frames
 * asks at once, an idle soon after that one embeds its batch but leaves the commit until the idle commit interval has
 * passed, an idle long after the last commit asks at once again, a stream that never goes idle asks once the
 * commit interval has passed, and with an embedding worker the idle commit waits for the worker's batch. The wall
 * clock is advanced by hand, one check per millisecond, as Kafka Streams runs the punctuation.
 */
class FrameEmbedderCommitTest {

    private static final Duration IDLE_COMMIT_INTERVAL = Duration.ofMillis(40);
    private static final long START = 1_763_000_000_000L;

    private static FacePipelinePool pipelines;

    private MockProcessorContext<String, Object> context;
    private FrameEmbedder embedder;
    private Punctuator check;
    private long now;
    private long sequence;

    @BeforeAll
    static void models() {
        pipelines = new FacePipelinePool(FacePipelineConfig.from(Settings.load(null)));
    }

    @AfterAll
    static void close() {
        if (pipelines != null) {
            pipelines.close();
        }
    }

    @BeforeEach
    void start() {
        context = new MockProcessorContext<>();
        KeyValueStore<Long, PendingFace> pending = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(EmbedderTopology.PENDING_FACES_STORE), Serdes.Long(), EmbedderSerdes.pendingFaces())
                .withLoggingDisabled().build();
        pending.init(context.getStateStoreContext(), pending);
        context.addStateStore(pending);
        now = START;
        context.setCurrentSystemTimeMs(now);
        // batches that never fill nor time out: only going idle sends them, and no commit while busy
        startEmbedder(Duration.ofHours(1));
    }

    private void startEmbedder(Duration commitInterval) {
        startEmbedder(commitInterval, null);
    }

    private void startEmbedder(Duration commitInterval, Executor worker) {
        embedder = new FrameEmbedder(pipelines, 64, Duration.ofHours(1), true, commitInterval, IDLE_COMMIT_INTERVAL, Set.of(),
                new DeadLetters(1 << 20), PipelineListener.NONE, worker);
        embedder.init(context);
        check = context.scheduledPunctuators().get(context.scheduledPunctuators().size() - 1).getPunctuator();
    }

    @Test
    void withAWorkerABatchIsEmbeddedOffTheStreamThreadAndTheIdleCommitWaitsForIt() throws IOException {
        // the worker runs its batches when the test says so
        Deque<Runnable> worker = new ArrayDeque<>();
        startEmbedder(Duration.ofHours(1), worker::add);
        frame();
        assertEquals(1, worker.size(), "the frame's face went to the worker at once");
        frame();
        assertEquals(1, worker.size(), "one batch at a time: the next frame's face waits");
        assertFalse(goIdle(), "no commit while the batch is on the worker");
        assertEquals(0, embedded());
        worker.poll().run();
        tick();
        assertEquals(1, embedded(), "the finished batch is emitted at the next check");
        assertEquals(1, worker.size(), "and the face that waited goes to the worker");
        assertFalse(context.committed(), "the second batch is still on the worker");
        worker.poll().run();
        tick();
        assertEquals(2, embedded());
        assertTrue(context.committed(), "idle, with nothing on the worker: commit");
    }

    @Test
    void aBusyStreamEmbedsItsWaitingFacesAndAsksForACommitOnceTheCommitIntervalHasPassed() throws IOException {
        startEmbedder(Duration.ofMillis(10));
        frame();
        tick();
        assertTrue(context.committed(), "the first commit may come at once");
        long committedAt = now;
        context.resetCommit();
        // a frame at every check: never idle, and the batch (64 faces, an hour's wait) never due
        while (now < committedAt + 9) {
            frame();
            tick();
            assertFalse(context.committed(), "no commit " + (now - committedAt) + " ms after the last one");
        }
        assertTrue(waiting() > 0, "faces wait for their batch");
        frame();
        tick();
        assertTrue(context.committed(), "a commit once the interval has passed, though the stream never went idle");
        assertEquals(0, waiting(), "after the faces waiting were embedded: no crop goes to the changelog with the commit");
    }

    @Test
    void anIdleSoonAfterACommitSendsItsBatchButCommitsOnlyOnceTheIntervalHasPassed() throws IOException {
        frame();
        assertTrue(goIdle(), "the first idle after a frame commits at once");
        long committedAt = now;
        context.resetCommit();

        frame();
        int embeddedBefore = embedded();
        assertFalse(goIdle(), "an idle 2 ms after the last commit does not ask for another");
        assertTrue(embedded() > embeddedBefore, "its batch went all the same");
        // nothing new comes; the commit is asked for at the first check once the interval has passed, not before
        while (now < committedAt + IDLE_COMMIT_INTERVAL.toMillis() - 1) {
            tick();
            assertFalse(context.committed(), "no commit " + (now - committedAt) + " ms after the last one");
        }
        tick();
        assertTrue(context.committed(), "the commit comes once the interval has passed");
        context.resetCommit();
        // and only once: the frames it covers are committed
        tick();
        tick();
        assertFalse(context.committed());
    }

    @Test
    void anIdleLongAfterTheLastCommitCommitsAtOnce() throws IOException {
        frame();
        assertTrue(goIdle());
        context.resetCommit();
        // a quiet stream: idle checks without frames ask for nothing
        for (int i = 0; i < 2 * IDLE_COMMIT_INTERVAL.toMillis(); i++) {
            tick();
            assertFalse(context.committed(), "an idle stream with nothing new does not commit");
        }
        frame();
        assertTrue(goIdle(), "a frame after a long quiet is committed as soon as the stream is idle");
    }

    /** One frame with one face, processed now. */
    private void frame() throws IOException {
        RecordHeaders headers = new RecordHeaders();
        FrameRecordHeaders.put(headers, FrameHeaders.CAMERA, "door");
        FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, Long.toString(sequence));
        FrameRecordHeaders.put(headers, FrameHeaders.CAPTURE_TIMESTAMP, Long.toString(now));
        context.setRecordMetadata("frames", 0, sequence++);
        int before = located();
        embedder.process(new Record<>("door", Files.readAllBytes(EmbedderTopologyTest.lfw("Colin_Powell", 6)), now, headers));
        assertEquals(before + 1, located(), "the frame waits as one located face");
    }

    /** The check right after a frame (not idle), then the next one (idle); whether a commit was asked for. */
    private boolean goIdle() {
        tick();
        tick();
        return context.committed();
    }

    private void tick() {
        now += FrameEmbedder.CHECK_INTERVAL.toMillis();
        context.setCurrentSystemTimeMs(now);
        check.punctuate(now);
    }

    /** Faces forwarded to the faces sink so far: each one was embedded. */
    private int embedded() {
        return context.forwarded(EmbedderTopology.FACES_SINK).size();
    }

    /** Faces waiting for their batch plus those embedded. */
    private int located() {
        return embedded() + waiting();
    }

    private int waiting() {
        return (int) context.<KeyValueStore<Long, PendingFace>>getStateStore(EmbedderTopology.PENDING_FACES_STORE).approximateNumEntries();
    }
}
