package org.arcstream.embedder.model;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.embed.FaceEmbedder;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.ActiveModel;
import org.arcstream.core.topics.ActiveModelCodec;
import org.arcstream.core.topics.ModelEvent;
import org.arcstream.core.topics.ModelEventCodec;
import org.arcstream.core.topics.RecordFormatException;
import org.arcstream.embedder.stream.FacePipelinePool;
import org.arcstream.embedder.stream.PipelineListener;
import org.arcstream.embedder.stream.SkippedRecords;
import org.arcstream.embedder.stream.TopicNames;
import org.arcstream.kafka.KafkaClientConfig;
import org.arcstream.kafka.KafkaTopics;
import org.arcstream.kafka.TopicSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot swap of the embedding model on one embedder instance, blue/green:
 * <ol>
 *   <li>a watcher reads the {@code models} topic (new versions) and the compacted {@code active-model}
 *       topic (the version every instance must embed with);
 *   <li>a promotion (a new model when auto-promotion is on, or an operator's request) fetches the
 *       ONNX file, verifies its sha256 and checks it is a usable embedding model; a refused model is
 *       logged with its reason and the running model stays;
 *   <li>it re-embeds the gallery from the stored crops into the new version through the enrollment
 *       topic and waits until every identity has new-version centroids;
 *   <li>only then it writes the new {@code active-model} record; every instance (this one included)
 *       reads it and switches its face pipelines, which the stream picks up between two batches;
 *   <li>finally it retires what is older than the replaced version: their embeddings leave the
 *       samples, so their centroids are deleted. The replaced version is kept for a roll back.
 * </ol>
 * New models are promoted automatically only by the instance that runs the enrollment task (one at
 * a time); an operator's promotion runs on the instance that received it. All work runs on one
 * thread, one promotion at a time. Thread-safe.
 */
public final class ModelSwitchboard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSwitchboard.class);
    private static final Duration COORDINATOR_WAIT = Duration.ofSeconds(30);

    private final HotSwapSettings settings;
    private final KafkaClientConfig kafka;
    private final FacePipelinePool pipelines;
    private final FacePipelineConfig base;
    private final BooleanSupplier coordinates;
    private final Clock clock;
    private final ModelCatalog catalog = new ModelCatalog();
    private final ModelFetcher fetcher;
    private final EmbeddingModelCheck check;
    private final GalleryReindexer reindexer;
    private final Producer<String, byte[]> producer;
    private final Map<String, Path> verified = new ConcurrentHashMap<>();
    private final SkippedRecords skips;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "model-switchboard"));
    // waiting to learn whether this instance coordinates must not hold up the worker, which applies switches
    private final ExecutorService coordinatorWait = Executors.newSingleThreadExecutor(r -> new Thread(r, "model-coordinator-wait"));
    private final Thread watcher;
    private final Consumer<String, byte[]> watch;
    private volatile ActiveModel activeRecord;
    private volatile String promoting;
    private volatile boolean closed;

    /**
     * @param pipelines the pool the stream and enrollment borrow from; its configuration at this moment is the starting model
     * @param coordinates true while this instance runs the enrollment task (it promotes new models)
     * @param listener told about records of the model topics that are skipped
     */
    public ModelSwitchboard(HotSwapSettings settings, KafkaClientConfig kafka, TopicNames topics, FacePipelinePool pipelines,
            BooleanSupplier coordinates, Clock clock, PipelineListener listener) {
        this.settings = settings;
        this.skips = new SkippedRecords(listener);
        this.kafka = kafka;
        this.pipelines = pipelines;
        this.base = pipelines.config();
        this.coordinates = coordinates;
        this.clock = clock;
        this.fetcher = new ModelFetcher(settings.cacheDir());
        this.check = new EmbeddingModelCheck(base.embedding().inputSize());
        ensureTopics();
        this.producer = new KafkaProducer<>(kafka.clientConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000)), new StringSerializer(), new ByteArraySerializer());
        this.reindexer = new GalleryReindexer(this::newConsumer, producer, topics.enrollment(), topics.centroids(),
                base.embedding().inputSize());
        Path startFile = base.embedding().file();
        catalog.add(new ModelEntry(base.embedding().id(), null, Sha256.hex(startFile), startFile.toUri().toString(), Map.of(), 0,
                ModelState.ACTIVE, "the model this instance was started with", 0));
        // the switch decision is read before any event, so that old events are not promoted again. A value that
        // does not decode is passed over as the running instances pass over it (the watcher, which reads the topic
        // again at once, counts and logs it): the latest readable decision stands
        try (Consumer<String, byte[]> c = newConsumer()) {
            byte[] latest = TopicSnapshot.read(c, settings.activeModelTopic(), Duration.ofSeconds(30),
                    (key, value) -> value == null || decodes(value)).latest().get(ActiveModel.KEY);
            activeRecord = latest == null ? null : ActiveModelCodec.decode(latest);
        }
        this.watch = newConsumer();
        this.watcher = new Thread(this::watch, "model-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Every model version this instance knows, oldest first. */
    public List<ModelEntry> models() {
        return catalog.all();
    }

    /** The version this instance embeds with now. */
    public String activeVersion() {
        return pipelines.modelVersion();
    }

    /** The version a roll back returns to, if any. */
    public Optional<String> previousVersion() {
        ActiveModel record = activeRecord;
        return record == null ? Optional.empty() : Optional.ofNullable(record.previous());
    }

    /** The version being prepared for a switch, if any. */
    public Optional<String> promoting() {
        return Optional.ofNullable(promoting);
    }

    /**
     * Starts the promotion of a known version: checks, re-index, switch of every instance, retirement.
     * Returns at once; {@link #models()} shows the progress and the outcome.
     *
     * @throws NoSuchElementException for a version this instance has not seen published
     * @throws IllegalStateException when it is already active or another promotion is running
     */
    public synchronized ModelEntry promote(String version) {
        return startPromotion(version, "promoted");
    }

    /** Promotes the version that was active before the current one; {@link IllegalStateException} when there is none. */
    public synchronized ModelEntry rollback() {
        String previous = previousVersion().orElseThrow(() -> new IllegalStateException("there is no previous model version to roll back to"));
        return startPromotion(previous, "rolled-back");
    }

    private ModelEntry startPromotion(String version, String reason) {
        ModelEntry entry = catalog.get(version).orElseThrow(() -> new NoSuchElementException("no model version '" + version + "' is known"));
        if (promoting != null) {
            throw new IllegalStateException("model " + promoting + " is being promoted; try again when it is done");
        }
        if (version.equals(activeVersion())) {
            throw new IllegalStateException("model " + version + " is already active");
        }
        promoting = version;
        ModelState before = entry.state();
        ModelEntry preparing = catalog.update(version, e -> e.with(ModelState.PREPARING, reason + ": checking the model"));
        worker.execute(() -> runPromotion(version, before, reason));
        return preparing;
    }

    private void runPromotion(String version, ModelState before, String reason) {
        try {
            Path file = prepare(version);
            String replaced = activeVersion();
            try (FaceEmbedder embedder = embedderFor(version, file)) {
                catalog.update(version, e -> e.with(ModelState.PREPARING, reason + ": re-embedding the gallery"));
                int identities = reindexer.reindex(version, embedder, settings.reindexTimeout());
                LOG.info("every identity ({}) has centroids of model {}; switching the embedders", identities, version);
                ActiveModel record = ActiveModel.of(version, replaced, reason, clock.millis());
                producer.send(new ProducerRecord<>(settings.activeModelTopic(), ActiveModel.KEY, ActiveModelCodec.encode(record)))
                        .get(30, TimeUnit.SECONDS);
                apply(record);
                int rewritten = reindexer.retire(Set.of(version, replaced), version, embedder);
                LOG.info("model {} active, {} kept for a roll back; {} samples rewritten to retire older versions", version, replaced, rewritten);
            }
        } catch (ModelRefusedException e) {
            refuse(version, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            catalog.update(version, en -> en.with(before, "promotion interrupted"));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.error("promotion of model {} failed; the running model {} stays", version, activeVersion(), e);
            catalog.update(version, en -> en.state() == ModelState.ACTIVE ? en
                    : en.with(before == ModelState.PREPARING ? ModelState.AVAILABLE : before, "promotion failed: " + e.getMessage()));
        } finally {
            promoting = null;
        }
    }

    /** Fetches, verifies and checks a version once; refused with the reason otherwise. */
    private Path prepare(String version) {
        Path known = verified.get(version);
        if (known != null) {
            return known;
        }
        ModelEntry entry = catalog.get(version).orElseThrow(() -> new ModelRefusedException("model " + version + " was never published"));
        Path file = fetcher.fetch(version, entry.location(), entry.sha256());
        int dimension = check.check(file);
        catalog.update(version, e -> e.withDimension(dimension));
        verified.put(version, file);
        return file;
    }

    private void refuse(String version, String reason) {
        LOG.warn("model {} REFUSED: {}; the running model {} stays", version, reason, activeVersion());
        catalog.update(version, e -> e.with(ModelState.REFUSED, reason));
    }

    /** Switches this instance's pipelines to the record's version, and marks the versions' states. */
    private void apply(ActiveModel record) {
        activeRecord = record;
        if (!record.active().equals(activeVersion())) {
            if (catalog.get(record.active()).isEmpty()) {
                LOG.info("the active model {} has not been seen on the models topic yet; waiting for its event", record.active());
                return;
            }
            try {
                pipelines.switchTo(configFor(record.active(), prepare(record.active())));
            } catch (ModelRefusedException e) {
                refuse(record.active(), e.getMessage() + " (the other instances use it; this one cannot)");
                return;
            }
            LOG.info("embedding model switched to {} ({}); {} kept for a roll back", record.active(), record.reason(), record.previous());
        }
        for (ModelEntry e : catalog.all()) {
            if (e.version().equals(record.active())) {
                catalog.update(e.version(), x -> x.with(ModelState.ACTIVE, record.reason()));
            } else if (e.version().equals(record.previous())) {
                catalog.update(e.version(), x -> x.with(ModelState.PREVIOUS, "kept for a roll back"));
            } else if (e.state() == ModelState.ACTIVE || e.state() == ModelState.PREVIOUS) {
                catalog.update(e.version(), x -> x.with(ModelState.RETIRED, "replaced by " + record.active()));
                verified.remove(e.version());
                fetcher.evict(e.version());
            }
        }
    }

    private FacePipelineConfig configFor(String version, Path file) {
        EmbeddingModelSpec s = base.embedding();
        EmbeddingModelSpec spec;
        try {
            // the preprocessing the new model states in its metadata; one that states none is fed as the running one
            spec = version.equals(s.id()) && file.equals(s.file()) ? s : EmbeddingModelSpec.load(file, version, s.preprocessing());
        } catch (IllegalArgumentException e) {
            throw new ModelRefusedException(e.getMessage(), e);
        }
        return new FacePipelineConfig(base.detectorModel(), base.landmarkModel(), spec, base.scoreThreshold(), base.nmsIou(),
                base.minFaceSize(), base.maxFaces(), base.paddedRetry(), base.embedBatch(), base.flip(), base.inference(),
                base.imageLimits());
    }

    private FaceEmbedder embedderFor(String version, Path file) {
        FacePipelineConfig config = configFor(version, file);
        return new FaceEmbedder(config.embedding(), config.inference(), config.embedBatch(), config.flip());
    }

    // ---- the watcher: models and active-model topics ----

    private void watch() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(settings.modelsTopic(), settings.activeModelTopic())) {
                partitions.addAll(TopicSnapshot.partitions(watch, topic, Duration.ofSeconds(30)));
            }
            watch.assign(partitions);
            watch.seekToBeginning(partitions);
            while (!closed) {
                ActiveModel latestActive = null;
                for (ConsumerRecord<String, byte[]> r : watch.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue; // a tombstone: compaction's business, no decision
                    }
                    // whatever a record holds, it is used or skipped; it never ends the watcher
                    try {
                        if (r.topic().equals(settings.modelsTopic())) {
                            published(ModelEventCodec.decode(r.value()));
                        } else if (ActiveModel.KEY.equals(r.key())) {
                            latestActive = ActiveModelCodec.decode(r.value());
                        } else {
                            skips.skip(r.topic(), r.key(), "unreadable-active-model: the only key of this topic is '" + ActiveModel.KEY + "'");
                        }
                    } catch (RuntimeException e) {
                        String kind = r.topic().equals(settings.modelsTopic()) ? "unreadable-model-event" : "unreadable-active-model";
                        skips.skip(r.topic(), r.key(), kind + ": " + e.getMessage());
                    }
                }
                if (latestActive != null) {
                    ActiveModel record = latestActive;
                    worker.execute(() -> applySafely(record));
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the model watcher stopped; this instance no longer follows new models", e);
        } finally {
            watch.close();
        }
    }

    private void published(ModelEvent event) {
        ModelEntry entry = catalog.add(new ModelEntry(event.modelVersion(), event.parentVersion(), event.sha256(), event.location(),
                event.metrics(), event.createdMillis(), ModelState.AVAILABLE, "published", 0));
        ActiveModel record = activeRecord;
        if (record != null && record.active().equals(event.modelVersion()) && !event.modelVersion().equals(activeVersion())) {
            worker.execute(() -> applySafely(record)); // the active record came before the event it names
            return;
        }
        boolean decidedAlready = record != null && event.createdMillis() <= record.changedMillis();
        if (settings.autoPromote() && !decidedAlready && entry.state() == ModelState.AVAILABLE && !event.modelVersion().equals(activeVersion())) {
            coordinatorWait.execute(() -> autoPromote(event));
        }
    }

    /** Promotes a new model on the worker if this instance coordinates and nothing newer is waiting. */
    private void autoPromote(ModelEvent event) {
        long deadline = System.nanoTime() + COORDINATOR_WAIT.toNanos();
        while (!coordinates.getAsBoolean()) {
            if (closed || System.nanoTime() > deadline) {
                LOG.info("model {} published; another instance runs the enrollment task and promotes it", event.modelVersion());
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        worker.execute(() -> promoteIfNewest(event));
    }

    private void promoteIfNewest(ModelEvent event) {
        boolean newerWaiting = catalog.all().stream().anyMatch(e -> e.state() == ModelState.AVAILABLE && e.createdMillis() > event.createdMillis());
        ModelEntry current = catalog.get(event.modelVersion()).orElseThrow();
        if (newerWaiting || current.state() != ModelState.AVAILABLE || event.modelVersion().equals(activeVersion())) {
            return;
        }
        synchronized (this) {
            if (promoting != null) {
                return;
            }
            promoting = event.modelVersion();
        }
        LOG.info("new model {} published (parent {}); promoting it", event.modelVersion(), event.parentVersion());
        catalog.update(event.modelVersion(), e -> e.with(ModelState.PREPARING, "new-model: checking the model"));
        runPromotion(event.modelVersion(), ModelState.AVAILABLE, "new-model");
    }

    /** {@link #apply} on the worker: a decision that cannot be followed is logged and the running model stays. */
    private void applySafely(ActiveModel record) {
        try {
            apply(record);
        } catch (RuntimeException e) {
            LOG.error("cannot switch to model {} as the active-model topic says; the running model {} stays", record.active(),
                    activeVersion(), e);
        }
    }

    private static boolean decodes(byte[] activeModel) {
        try {
            ActiveModelCodec.decode(activeModel);
            return true;
        } catch (RecordFormatException e) {
            return false;
        }
    }

    private Consumer<String, byte[]> newConsumer() {
        return new KafkaConsumer<>(kafka.clientConfig(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Creates the models and active-model topics when missing: compacted, one partition (records are few and ordered). */
    private void ensureTopics() {
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            List<NewTopic> wanted = new ArrayList<>();
            for (String name : List.of(settings.modelsTopic(), settings.activeModelTopic())) {
                wanted.add(new NewTopic(name, Optional.of(1), Optional.empty())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            }
            KafkaTopics.createMissing(admin, wanted, Duration.ofSeconds(60));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + kafka.bootstrapServers() + " to check the model topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        watch.wakeup();
        try {
            watcher.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        coordinatorWait.shutdownNow();
        worker.shutdownNow();
        try {
            worker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
