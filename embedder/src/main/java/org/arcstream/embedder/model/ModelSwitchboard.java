package org.arcstream.embedder.model;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.arcstream.core.embed.FaceEmbedder;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.topics.ActiveModel;
import org.arcstream.core.topics.ActiveModelCodec;
import org.arcstream.core.topics.ModelEvent;
import org.arcstream.embedder.model.Promotions.Promotion;
import org.arcstream.embedder.stream.FacePipelinePool;
import org.arcstream.embedder.stream.PipelineListener;
import org.arcstream.embedder.stream.SkippedRecords;
import org.arcstream.embedder.stream.TopicNames;
import org.arcstream.kafka.KafkaClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot swap of the embedding model on one embedder instance, blue/green:
 * <ol>
 *   <li>a {@link ModelWatcher} reads the {@code models} topic (new versions) and the compacted
 *       {@code active-model} topic (the version every instance must embed with);
 *   <li>a promotion (a new model when auto-promotion is on, or an operator's request) fetches the
 *       ONNX file, verifies its sha256 and checks it is a usable embedding model ({@link VerifiedModels});
 *       a refused model is logged with its reason and the running model stays;
 *   <li>it re-embeds the gallery from the stored crops into the new version through the enrollment
 *       topic and waits until every identity has new-version centroids;
 *   <li>only then it writes the new {@code active-model} record; every instance (this one included)
 *       reads it and switches its face pipelines, which the stream picks up between two batches;
 *   <li>finally it retires what is older than the replaced version: their embeddings leave the
 *       samples, so their centroids are deleted. The replaced version is kept for a roll back.
 * </ol>
 * The states and what may happen next are {@link Promotions}'; this class carries out its steps.
 * New models are promoted automatically only by the instance that runs the enrollment task (one at
 * a time); an operator's promotion runs on the instance that received it. All work runs on one
 * thread, one promotion at a time. Nothing connects or runs before {@link #start()}. Thread-safe.
 */
public final class ModelSwitchboard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSwitchboard.class);
    private static final Duration COORDINATOR_WAIT = Duration.ofSeconds(30);
    private static final Duration COORDINATOR_CHECK = Duration.ofMillis(200);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final HotSwapSettings settings;
    private final TopicNames topics;
    private final FacePipelinePool pipelines;
    private final Clock clock;
    private final ModelTopicClients clients;
    private final ModelCatalog catalog = new ModelCatalog();
    private final Promotions promotions = new Promotions(catalog);
    private final VerifiedModels models;
    private final CoordinatorGate coordinator;
    private final ModelWatcher watcher;
    // a single-thread executor starts its thread with the first task, not here
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "model-switchboard"));
    private Producer<String, byte[]> producer;
    private GalleryReindexer reindexer;
    private boolean started;
    private boolean closed;

    /**
     * @param pipelines the pool the stream and enrollment borrow from; its configuration at {@link #start()} is the starting model
     * @param coordinates true while this instance runs the enrollment task (it promotes new models)
     * @param listener told about records of the model topics that are skipped
     */
    public ModelSwitchboard(HotSwapSettings settings, KafkaClientConfig kafka, TopicNames topics, FacePipelinePool pipelines,
            BooleanSupplier coordinates, Clock clock, PipelineListener listener) {
        this.settings = settings;
        this.topics = topics;
        this.pipelines = pipelines;
        this.clock = clock;
        this.clients = new ModelTopicClients(kafka, settings);
        // the model this instance started with is its own configuration: its folder is trusted like the configured ones
        Path startFolder = pipelines.config().embedding().file().toAbsolutePath().getParent();
        this.models = new VerifiedModels(pipelines.config(), settings.cacheDir(), settings.download().withTrustedDir(startFolder));
        this.coordinator = new CoordinatorGate(coordinates, COORDINATOR_WAIT, COORDINATOR_CHECK);
        this.watcher = new ModelWatcher(clients::consumer, settings.modelsTopic(), settings.activeModelTopic(),
                new SkippedRecords(listener), new ModelWatcher.Listener() {
                    @Override
                    public void published(ModelEvent event) {
                        onPublished(event);
                    }

                    @Override
                    public void decided(ActiveModel record) {
                        worker.execute(() -> applySafely(record));
                    }
                });
    }

    /**
     * Creates the model topics when missing, reads the standing switch decision (before any event, so that
     * old events are not promoted again) and starts following both topics.
     *
     * @throws IllegalStateException when Kafka cannot be reached
     */
    public synchronized ModelSwitchboard start() {
        if (started || closed) {
            throw new IllegalStateException("the model switchboard was started already");
        }
        started = true;
        FacePipelineConfig base = pipelines.config();
        Path startFile = base.embedding().file();
        catalog.add(new ModelEntry(base.embedding().id(), null, Sha256.hex(startFile), startFile.toUri().toString(), Map.of(), 0,
                ModelState.ACTIVE, "the model this instance was started with", 0));
        try {
            clients.ensureTopics();
            producer = clients.producer();
            reindexer = new GalleryReindexer(clients::consumer, producer, topics.enrollment(), topics.centroids(),
                    base.embedding().inputSize());
            clients.latestDecision().ifPresent(promotions::decided);
            watcher.start();
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
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
        return promotions.previous();
    }

    /** The version being prepared for a switch, if any. */
    public Optional<String> promoting() {
        return promotions.promoting();
    }

    /**
     * Starts the promotion of a known version: checks, re-index, switch of every instance, retirement.
     * Returns at once; {@link #models()} shows the progress and the outcome.
     *
     * @throws NoSuchElementException for a version this instance has not seen published
     * @throws IllegalStateException when it is already active or another promotion is running
     */
    public ModelEntry promote(String version) {
        return run(promotions.begin(version, activeVersion(), "promoted"));
    }

    /** Promotes the version that was active before the current one; {@link IllegalStateException} when there is none. */
    public ModelEntry rollback() {
        return run(promotions.beginRollback(activeVersion()));
    }

    private ModelEntry run(Promotion promotion) {
        ModelEntry preparing = catalog.get(promotion.version()).orElseThrow();
        worker.execute(() -> carryOut(promotion));
        return preparing;
    }

    private void carryOut(Promotion p) {
        String version = p.version();
        try {
            Path file = prepare(version);
            String replaced = activeVersion();
            try (FaceEmbedder embedder = models.embedderFor(version, file)) {
                promotions.progress(p, "re-embedding the gallery");
                int identities = reindexer.reindex(version, embedder, settings.reindexTimeout()).identities();
                LOG.info("every identity ({}) has centroids of model {}; switching the embedders", identities, version);
                ActiveModel record = ActiveModel.of(version, replaced, p.reason(), clock.millis());
                producer.send(new ProducerRecord<>(settings.activeModelTopic(), ActiveModel.KEY, ActiveModelCodec.encode(record)))
                        .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                apply(record);
                int rewritten = reindexer.retire(Set.of(version, replaced), version, embedder);
                LOG.info("model {} active, {} kept for a roll back; {} samples rewritten to retire older versions", version, replaced, rewritten);
            }
        } catch (ModelRefusedException e) {
            refuse(version, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            promotions.interrupted(p);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.error("promotion of model {} failed; the running model {} stays", version, activeVersion(), e);
            promotions.failed(p, e.getMessage());
        } finally {
            promotions.ended();
        }
    }

    /** The verified file of a version; {@link ModelRefusedException} with the reason otherwise. */
    private Path prepare(String version) {
        ModelEntry entry = promotions.known(version).orElseThrow(() -> new ModelRefusedException("model " + version + " was never published"));
        VerifiedModels.Verified verified = models.verify(entry);
        promotions.checked(version, verified.dimension());
        return verified.file();
    }

    private void refuse(String version, String reason) {
        LOG.warn("model {} REFUSED: {}; the running model {} stays", version, reason, activeVersion());
        promotions.refused(version, reason);
    }

    /** Switches this instance's pipelines to the decision's version, and marks the versions' states. */
    private void apply(ActiveModel record) {
        promotions.decided(record);
        if (!record.active().equals(activeVersion())) {
            if (promotions.known(record.active()).isEmpty()) {
                LOG.info("the active model {} has not been seen on the models topic yet; waiting for its event", record.active());
                return;
            }
            try {
                pipelines.switchTo(models.configFor(record.active(), prepare(record.active())));
            } catch (ModelRefusedException e) {
                refuse(record.active(), e.getMessage() + " (the other instances use it; this one cannot)");
                return;
            }
            LOG.info("embedding model switched to {} ({}); {} kept for a roll back", record.active(), record.reason(), record.previous());
        }
        promotions.switched(record).forEach(models::evict);
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

    private void onPublished(ModelEvent event) {
        switch (promotions.published(event, activeVersion(), settings.autoPromote())) {
            case FOLLOW_DECISION -> promotions.decision().ifPresent(record -> worker.execute(() -> applySafely(record)));
            case AUTO_PROMOTE -> coordinator.whenCoordinating(() -> worker.execute(() -> promoteIfNewest(event)),
                    () -> LOG.info("model {} published; another instance runs the enrollment task and promotes it", event.modelVersion()));
            case NOTHING -> { }
        }
    }

    private void promoteIfNewest(ModelEvent event) {
        promotions.beginAutomatic(event, activeVersion()).ifPresent(p -> {
            LOG.info("new model {} published (parent {}); promoting it", event.modelVersion(), event.parentVersion());
            carryOut(p);
        });
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        watcher.close();
        coordinator.close();
        worker.shutdownNow();
        try {
            worker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        models.close();
    }
}
