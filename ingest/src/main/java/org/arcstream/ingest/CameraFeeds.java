package org.arcstream.ingest;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.arcstream.ingest.publish.FrameProducers;
import org.arcstream.ingest.publish.FramePublisher;
import org.arcstream.ingest.publish.FramesTopicCheck;
import org.arcstream.ingest.publish.PublisherSettings;
import org.arcstream.ingest.publish.SentFrame;
import org.arcstream.ingest.source.FrameSource;
import org.arcstream.ingest.source.FrameSourceException;
import org.arcstream.ingest.source.FrameSources;
import org.arcstream.ingest.source.SourceOptions;
import org.arcstream.kafka.KafkaClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one publisher per configured camera, each on its own thread, over one shared Kafka producer. */
@Singleton
@Requires(env = IngestApplication.ENVIRONMENT)
public final class CameraFeeds implements ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(CameraFeeds.class);

    private final IngestConfig config;
    private final KafkaClientConfig kafka;
    private final List<CameraConfig> cameras;
    private final List<Feed> feeds = new ArrayList<>();
    private Producer<String, byte[]> producer;

    public CameraFeeds(IngestConfig config, KafkaClientConfig kafka, List<CameraConfig> cameras) {
        this.config = config;
        this.kafka = kafka;
        this.cameras = cameras;
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (producer != null) {
            return;
        }
        if (cameras.isEmpty()) {
            LOG.warn("no cameras configured (ingest.cameras.<id>.source): nothing to publish");
            return;
        }
        try {
            FramesTopicCheck.verify(kafka, config.framesTopic(), config.maxFrameBytes(), config.producerMaxBlock())
                    .ifPresent(LOG::warn);
        } catch (IllegalStateException e) {
            // the cluster may come up after the service: the cameras start anyway, their sends fail until then
            LOG.error("{}; frames will fail until it is available", e.getMessage());
        }
        producer = FrameProducers.create(FrameProducers.config(kafka, config.maxFrameBytes(), Map.of(
                ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(config.producerBufferMemory(), (long) config.maxFrameBytes() * 2),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.producerMaxBlock().toMillis())));
        for (CameraConfig camera : cameras) {
            Feed feed = new Feed(camera);
            feeds.add(feed);
            feed.start();
        }
    }

    /** Every configured camera, in configuration order. */
    public synchronized List<CameraStatus> status() {
        return feeds.stream().map(Feed::status).toList();
    }

    @PreDestroy
    synchronized void stop() throws InterruptedException {
        feeds.forEach(Feed::stop);
        for (Feed feed : feeds) {
            feed.thread.join(config.readTimeout().toMillis() + 5_000);
        }
        if (producer != null) {
            // frames still unacknowledged after this are lost with the process anyway
            producer.close(java.time.Duration.ofSeconds(10));
        }
    }

    /** One camera's thread: opens the source (again and again when looping and it fails) and publishes it. */
    private final class Feed {
        private final CameraConfig camera;
        private final String source;
        private final FramePublisher publisher;
        private final Thread thread;
        private volatile String state = "starting";
        private volatile String error;
        private volatile boolean stopped;

        Feed(CameraConfig camera) {
            this.camera = camera;
            this.source = FrameSources.describe(camera.source());
            this.publisher = new FramePublisher(camera.id(), producer, new PublisherSettings(
                    config.framesTopic(), camera.fps(), config.maxFrameBytes(), config.queueCapacity()));
            this.thread = new Thread(this::run, "ingest-camera-" + camera.id());
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            SourceOptions options = new SourceOptions(config.connectTimeout(), config.readTimeout(), camera.loop(),
                    config.reconnectDelay(), SourceOptions.defaults().jpegQuality());
            while (!stopped) {
                try (FrameSource frames = FrameSources.open(camera.source(), options)) {
                    state = "running";
                    error = null;
                    LOG.info("camera {}: publishing {} to {}", camera.id(), source, config.framesTopic());
                    publisher.run(frames, SentFrame.Listener.none());
                    state = stopped ? "stopped" : "finished";
                    LOG.info("camera {}: {} ({})", camera.id(), state, publisher.stats());
                    return;
                } catch (FrameSourceException e) {
                    error = e.getMessage();
                    LOG.error("camera {}: {}", camera.id(), e.getMessage());
                    if (!camera.loop()) {
                        state = "failed";
                        return;
                    }
                    // a looping camera that is not there yet may come up later
                    state = "failed, retrying";
                    if (!pause()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    state = "stopped";
                    return;
                } catch (RuntimeException e) {
                    state = "failed";
                    error = e.toString();
                    LOG.error("camera {} failed", camera.id(), e);
                    return;
                }
            }
            state = "stopped";
        }

        private boolean pause() {
            try {
                Thread.sleep(config.reconnectDelay().toMillis());
                return !stopped;
            } catch (InterruptedException e) {
                state = "stopped";
                return false;
            }
        }

        void stop() {
            stopped = true;
            publisher.stop();
            thread.interrupt();
        }

        CameraStatus status() {
            return CameraStatus.of(source, state, error, publisher.stats());
        }
    }
}
