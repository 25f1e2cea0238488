package org.arcstream.ingest.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.arcstream.broker.EmbeddedKafkaBroker;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.ingest.FramesTopic;
import org.arcstream.ingest.IngestTestData;
import org.arcstream.ingest.source.FrameSource;
import org.arcstream.ingest.source.FrameSources;
import org.arcstream.ingest.source.SourceOptions;
import org.arcstream.kafka.FrameRecordHeaders;
import org.arcstream.kafka.KafkaClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file source loses no frame while the broker is down for longer than the producer may block. */
class BrokerOutagePublishingTest {

    @TempDir
    Path dir;

    @Test
    void fileFramesWaitForABrokerThatIsDownAndAllArriveOnceItIsBack() throws Exception {
        List<Path> images = IngestTestData.lfwImages(2, 3);
        for (Path image : images) {
            Files.copy(image, dir.resolve(image.getParent().getFileName() + "-" + image.getFileName()));
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(Map.of("frames", 1));
            broker.stop();
            // the producer blocks at most 1 s per frame (10 s as shipped), so an outage of 4 s outlasts it several times
            Map<String, Object> config = FrameProducers.config(KafkaClientConfig.of(broker.bootstrapServers()), PublisherSettings.DEFAULT_MAX_FRAME_BYTES,
                    Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000));
            CameraStats stats;
            try (Producer<String, byte[]> producer = FrameProducers.create(config);
                    FrameSource source = FrameSources.open(dir.toString(), SourceOptions.defaults())) {
                FramePublisher publisher = new FramePublisher("gate-1", producer, PublisherSettings.defaults());
                CompletableFuture<CameraStats> run = CompletableFuture.supplyAsync(() -> {
                    try {
                        return publisher.run(source, SentFrame.Listener.none());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(4_000);
                broker.restart();
                stats = run.get(60, TimeUnit.SECONDS);
            }
            assertEquals(new CameraStats("gate-1", 6, 6, 0, 0, 0), stats);
            List<Long> sequences = FramesTopic.read(broker.bootstrapServers(), "frames", 6).stream()
                    .map(ConsumerRecord::headers).map(h -> FrameRecordHeaders.number(h, FrameHeaders.SEQUENCE, -1)).toList();
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), sequences);
        }
    }
}
