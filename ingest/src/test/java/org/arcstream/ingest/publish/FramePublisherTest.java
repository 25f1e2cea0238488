package org.arcstream.ingest.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.ingest.FramesTopic;
import org.arcstream.ingest.IngestTestData;
import org.arcstream.ingest.MjpegServer;
import org.arcstream.ingest.SharedBroker;
import org.arcstream.ingest.source.FrameSource;
import org.arcstream.ingest.source.FrameSourceException;
import org.arcstream.ingest.source.FrameSources;
import org.arcstream.ingest.source.SourceFrame;
import org.arcstream.ingest.source.SourceOptions;
import org.arcstream.kafka.FrameRecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** The publisher against the in-process broker: what lands in the topic, and what is counted. */
class FramePublisherTest {

    private static EmbeddedKafkaBroker broker;
    private static Producer<String, byte[]> producer;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = SharedBroker.get();
        producer = FrameProducers.create(broker.clientConfig(), PublisherSettings.DEFAULT_MAX_FRAME_BYTES);
    }

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close();
        }
    }

    private static String topic(TestInfo info) {
        String name = "frames-" + info.getTestMethod().orElseThrow().getName();
        broker.createTopics(Map.of(name, 1));
        return name;
    }

    @Test
    void everyVideoFrameArrivesAsADecodableJpegWithCompleteHeaders(TestInfo info) throws Exception {
        String topic = topic(info);
        List<Path> images = IngestTestData.lfwImages(3, 4);
        Path video = IngestTestData.video(dir.resolve("gate.mp4"), images);
        List<SentFrame> acknowledged = Collections.synchronizedList(new ArrayList<>());
        CameraStats stats;
        try (FrameSource source = FrameSources.open(video.toString(), SourceOptions.defaults())) {
            stats = new FramePublisher("gate-3", producer, PublisherSettings.defaults().withTopic(topic)).run(source, acknowledged::add);
        }
        assertEquals(new CameraStats("gate-3", images.size(), images.size(), 0, 0, 0), stats);

        List<ConsumerRecord<String, byte[]>> records = FramesTopic.read(broker.bootstrapServers(), topic, images.size());
        assertEquals(images.size(), records.size());
        long previousSeq = -1, previousTs = Long.MIN_VALUE;
        for (ConsumerRecord<String, byte[]> r : records) {
            assertEquals("gate-3", r.key());
            assertEquals("gate-3", FrameRecordHeaders.string(r.headers(), FrameHeaders.CAMERA));
            assertEquals("image/jpeg", FrameRecordHeaders.string(r.headers(), FrameHeaders.CONTENT_TYPE));
            assertEquals("1", FrameRecordHeaders.string(r.headers(), FrameHeaders.VERSION));
            long seq = FrameRecordHeaders.number(r.headers(), FrameHeaders.SEQUENCE, -1);
            long ts = FrameRecordHeaders.number(r.headers(), FrameHeaders.CAPTURE_TIMESTAMP, -1);
            assertTrue(seq > previousSeq, "seq strictly increasing: " + seq + " after " + previousSeq);
            assertTrue(ts > 0 && ts >= previousTs, "capture-ts present and in order");
            previousSeq = seq;
            previousTs = ts;
            BufferedImage picture = ImageIO.read(new ByteArrayInputStream(r.value()));
            assertNotNull(picture, "frame " + seq + " decodes as JPEG");
            assertEquals(250, picture.getWidth());
        }
        assertEquals(images.size(), acknowledged.size());
        assertTrue(acknowledged.stream().allMatch(f -> f.origin().equals(video + "#frame " + f.sequence())));
    }

    @Test
    void oversizedFramesAreCountedAndNotSentWhileTheOthersGoOn(TestInfo info) throws Exception {
        String topic = topic(info);
        List<Path> images = IngestTestData.lfwImages(1, 4);
        for (int i = 0; i < images.size(); i++) {
            Files.copy(images.get(i), dir.resolve(i < 2 ? "a" + i + ".jpg" : "c" + i + ".jpg"));
        }
        // random pixels do not compress: several hundred kilobytes, far above the limit below
        BufferedImage noise = new BufferedImage(400, 400, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int y = 0; y < 400; y++) {
            for (int x = 0; x < 400; x++) {
                noise.setRGB(x, y, random.nextInt());
            }
        }
        Path big = dir.resolve("b-big.png");
        ImageIO.write(noise, "png", big.toFile());
        // named like an image but is not one: counted apart, without a sequence number
        Files.writeString(dir.resolve("b-broken.jpg"), "not an image");
        int limit = 100_000;
        assertTrue(Files.size(big) > limit);
        assertTrue(images.stream().allMatch(p -> p.toFile().length() < limit));

        CameraStats stats;
        try (FrameSource source = FrameSources.open(dir.toString(), SourceOptions.defaults())) {
            stats = new FramePublisher("lobby", producer, PublisherSettings.defaults().withTopic(topic).withMaxFrameBytes(limit))
                    .run(source, SentFrame.Listener.none());
        }
        assertEquals(new CameraStats("lobby", 5, 4, 0, 1, 0, 1), stats);
        assertEquals(6, stats.offered());
        List<ConsumerRecord<String, byte[]>> records = FramesTopic.read(broker.bootstrapServers(), topic, 4);
        assertEquals(List.of(0L, 1L, 3L, 4L), records.stream().map(r -> FrameRecordHeaders.number(r.headers(), FrameHeaders.SEQUENCE, -1)).toList());
        assertTrue(records.stream().allMatch(r -> r.value().length < limit));
    }

    @Test
    void aLiveMjpegCameraIsPublishedFrameForFrame(TestInfo info) throws Exception {
        String topic = topic(info);
        List<byte[]> pictures = new ArrayList<>();
        for (Path p : IngestTestData.lfwImages(8, 1)) {
            pictures.add(Files.readAllBytes(p));
        }
        List<SentFrame> acknowledged = Collections.synchronizedList(new ArrayList<>());
        CameraStats stats;
        try (MjpegServer camera = new MjpegServer(pictures, true, -1);
                FrameSource source = FrameSources.open(camera.url("/video"), SourceOptions.defaults())) {
            // room for every picture, so that none is pushed out and the counts are exact
            stats = new FramePublisher("door", producer, PublisherSettings.defaults().withTopic(topic).withQueueCapacity(16))
                    .run(source, acknowledged::add);
            assertTrue(acknowledged.stream().allMatch(f -> f.origin().equals(camera.url("/video"))));
        }
        assertEquals(new CameraStats("door", 8, 8, 0, 0, 0), stats);
        List<ConsumerRecord<String, byte[]>> records = FramesTopic.read(broker.bootstrapServers(), topic, 8);
        assertEquals(8, records.size());
        for (int i = 0; i < 8; i++) {
            assertArrayEquals(pictures.get(i), records.get(i).value(), "the camera's JPEG passes unchanged");
        }
    }

    @Test
    void aLiveSourceFasterThanTheTargetRateHasItsSurplusDropped(TestInfo info) throws Exception {
        String topic = topic(info);
        FakeTicker ticker = new FakeTicker();
        byte[] jpeg = Files.readAllBytes(IngestTestData.lfwImages(1, 1).get(0));
        // 100 frames 10 ms apart (100 fps) against a target of 25 fps
        FrameSource source = new ScriptedSource(true, 100, jpeg, () -> ticker.advanceMillis(10));
        CameraStats stats = new FramePublisher("fast", producer,
                PublisherSettings.defaults().withTopic(topic).withFramesPerSecond(25).withQueueCapacity(128), ticker)
                .run(source, SentFrame.Listener.none());
        assertEquals(new CameraStats("fast", 100, 25, 75, 0, 0), stats);
        List<Long> seqs = FramesTopic.read(broker.bootstrapServers(), topic, 25).stream()
                .map(r -> FrameRecordHeaders.number(r.headers(), FrameHeaders.SEQUENCE, -1)).toList();
        List<Long> expected = new ArrayList<>();
        for (long s = 0; s < 100; s += 4) {
            expected.add(s);
        }
        assertEquals(expected, seqs);
        assertTrue(ticker.sleeps.isEmpty(), "a live source is never made to wait");
    }

    @Test
    void aFileSourceIsPacedToTheTargetRate(TestInfo info) throws Exception {
        String topic = topic(info);
        FakeTicker ticker = new FakeTicker();
        List<Path> images = IngestTestData.lfwImages(2, 5);
        Path folder = images.get(0).getParent().getParent();
        List<SentFrame> acknowledged = Collections.synchronizedList(new ArrayList<>());
        CameraStats stats;
        try (FrameSource source = new FirstN(FrameSources.open(folder.toString(), SourceOptions.defaults()), 10)) {
            stats = new FramePublisher("paced", producer, PublisherSettings.defaults().withTopic(topic).withFramesPerSecond(5), ticker)
                    .run(source, acknowledged::add);
        }
        assertEquals(new CameraStats("paced", 10, 10, 0, 0, 0), stats);
        // 10 frames at 5 per second: a wait of 200 ms on the publisher's clock before each but the first, and one
        // more before the source tells that it has ended; none dropped
        assertEquals(10, ticker.sleeps.size());
        assertEquals(2000, ticker.sleptMillis());
        // the origin lets a caller label each frame by its folder
        assertEquals(Collections.nCopies(5, images.get(0).getParent().getFileName().toString()),
                acknowledged.stream().sorted(java.util.Comparator.comparingLong(SentFrame::sequence)).limit(5)
                        .map(f -> Path.of(f.origin()).getParent().getFileName().toString()).toList());
    }

    @Test
    void aFileFrameIsReadInItsSlotSoThatItsCaptureTimeIsWhenItIsDue(TestInfo info) throws Exception {
        String topic = topic(info);
        FakeTicker ticker = new FakeTicker();
        byte[] jpeg = Files.readAllBytes(IngestTestData.lfwImages(1, 1).get(0));
        List<Long> readAtMillis = new ArrayList<>();
        FrameSource source = new ScriptedSource(false, 4, jpeg, () -> readAtMillis.add(ticker.nanoTime() / 1_000_000));
        new FramePublisher("paced", producer, PublisherSettings.defaults().withTopic(topic).withFramesPerSecond(10), ticker)
                .run(source, SentFrame.Listener.none());
        // read ahead, a frame would wait for its slot after it was read, and that wait would count as latency
        assertEquals(List.of(0L, 100L, 200L, 300L), readAtMillis);
    }

    @Test
    void framesReadBeforeAStreamFailsAreStillSent(TestInfo info) throws Exception {
        String topic = topic(info);
        List<byte[]> pictures = new ArrayList<>();
        for (Path p : IngestTestData.lfwImages(3, 1)) {
            pictures.add(Files.readAllBytes(p));
        }
        FramePublisher publisher = new FramePublisher("flaky", producer, PublisherSettings.defaults().withTopic(topic));
        try (MjpegServer camera = new MjpegServer(pictures, true, 2);
                FrameSource source = FrameSources.open(camera.url("/video"),
                        SourceOptions.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)))) {
            FrameSourceException e = assertThrows(FrameSourceException.class, () -> publisher.run(source, SentFrame.Listener.none()));
            assertTrue(e.getMessage().contains("stream stalled"), e.getMessage());
        }
        assertEquals(new CameraStats("flaky", 2, 2, 0, 0, 0), publisher.stats());
        assertEquals(2, FramesTopic.read(broker.bootstrapServers(), topic, 2).size());
    }

    @Test
    void stopEndsAnEndlessLiveSource(TestInfo info) throws Exception {
        String topic = topic(info);
        byte[] jpeg = Files.readAllBytes(IngestTestData.lfwImages(1, 1).get(0));
        FramePublisher publisher = new FramePublisher("endless", producer, PublisherSettings.defaults().withTopic(topic));
        AtomicReference<CameraStats> result = new AtomicReference<>();
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
            try {
                result.set(publisher.run(new ScriptedSource(true, Integer.MAX_VALUE, jpeg, () -> sleepQuietly(2)), SentFrame.Listener.none()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.currentTimeMillis() + 30_000;
        while (publisher.stats().sent() < 5 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        publisher.stop();
        running.get(30, TimeUnit.SECONDS);
        CameraStats stats = result.get();
        assertTrue(stats.sent() >= 5);
        assertEquals(0, stats.pending(), "everything read is accounted for once run returns: " + stats);
    }

    @Test
    void stopEndsAPacedFileSourceAndAccountsForEveryFrameRead(TestInfo info) throws Exception {
        String topic = topic(info);
        Path folder = IngestTestData.lfw10();
        // 100 images at 2 per second would take 50 s; the stop comes after the second is acknowledged
        FramePublisher publisher = new FramePublisher("slow", producer, PublisherSettings.defaults().withTopic(topic).withFramesPerSecond(2));
        AtomicReference<CameraStats> result = new AtomicReference<>();
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
            try (FrameSource source = FrameSources.open(folder.toString(), SourceOptions.defaults())) {
                result.set(publisher.run(source, SentFrame.Listener.none()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.currentTimeMillis() + 30_000;
        while (publisher.stats().sent() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        publisher.stop();
        running.get(30, TimeUnit.SECONDS);
        CameraStats stats = result.get();
        assertTrue(stats.sent() >= 2 && stats.read() < 100, stats.toString());
        assertEquals(0, stats.pending(), "every frame read is sent or counted: " + stats);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A source that yields the same picture {@code count} times and runs a step before each. */
    private static final class ScriptedSource implements FrameSource {
        private final boolean live;
        private final int count;
        private final byte[] picture;
        private final Runnable beforeEach;
        private int served;

        ScriptedSource(boolean live, int count, byte[] picture, Runnable beforeEach) {
            this.live = live;
            this.count = count;
            this.picture = picture;
            this.beforeEach = beforeEach;
        }

        @Override
        public Optional<SourceFrame> next() throws InterruptedException {
            if (served >= count) {
                return Optional.empty();
            }
            beforeEach.run();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return Optional.of(new SourceFrame(picture, "image/jpeg", System.currentTimeMillis(), "scripted#" + served++));
        }

        @Override
        public boolean live() {
            return live;
        }

        @Override
        public String location() {
            return "scripted";
        }

        @Override
        public void close() {
        }
    }

    /** The first n frames of a source. */
    private record FirstN(FrameSource source, int n, int[] taken) implements FrameSource {
        FirstN(FrameSource source, int n) {
            this(source, n, new int[1]);
        }

        @Override
        public Optional<SourceFrame> next() throws FrameSourceException, InterruptedException {
            return taken[0]++ < n ? source.next() : Optional.empty();
        }

        @Override
        public boolean live() {
            return false;
        }

        @Override
        public String location() {
            return source.location();
        }

        @Override
        public void close() {
            source.close();
        }
    }
}
