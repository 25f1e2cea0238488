package org.arcstream.trainer.finetune;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.arcstream.core.config.Settings;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.embed.Preprocessing;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.trainer.data.CropSpill;
import org.arcstream.trainer.data.EnrollmentTopicCrops;
import org.arcstream.trainer.data.GalleryCrops;
import org.arcstream.trainer.data.SampleRules;
import org.arcstream.trainer.gate.GatePolicy;
import org.arcstream.trainer.publish.ActiveModelReader;
import org.arcstream.trainer.publish.ModelDelivery;
import org.arcstream.trainer.publish.ModelPublisher;
import org.arcstream.trainer.publish.PublicationReconciler;
import org.arcstream.trainer.store.FileModelStore;
import org.arcstream.trainer.store.StartingModel;
import org.arcstream.trainer.store.StoredModel;
import org.arcstream.kafka.KafkaClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A complete training job as the CLI and the service run it: training data from a gallery folder or
 * from the enrollment topic, the starting model from the store, the run, and publishing through the
 * store and (with a broker) the models topic.
 *
 * @param gallery folder-per-identity images; null to read the enrollment topic
 * @param kafka Kafka (cluster and client properties); null for a gallery-only job, which stores accepted models without an event
 * @param activeModelTopic where the embedders name the model they use; with Kafka, a run starts from that model
 * @param model the starting model; null for the model the embedders use, else the store's newest accepted model
 * @param delivery where an accepted model is put before its event is sent (an object store), see {@link ModelDelivery}
 * @param samples which topics beside enrollment give samples (recognitions, labels), the cap per person and camera,
 *     and the floor of samples under which a person is not trained on (that one also for a gallery folder)
 */
public record TrainingJob(Path gallery, KafkaClientConfig kafka, String enrollmentTopic, String modelsTopic, String activeModelTopic,
        Path model, FileModelStore store, FineTuneSettings settings, GatePolicy gate, InferenceOptions inference,
        ModelDelivery delivery, SampleRules samples) {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingJob.class);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
    /** How long the enrollment topic may deliver nothing before its end: reading a large one takes as long as it takes. */
    private static final Duration TOPIC_STALL = Duration.ofSeconds(60);

    public TrainingJob {
        if (gallery == null && kafka == null) {
            throw new IllegalArgumentException("a training job needs a gallery folder or Kafka bootstrap servers");
        }
        if (delivery == null) {
            throw new IllegalArgumentException("a training job needs a model delivery (ModelDelivery.FROM_STORE for the store's own locations)");
        }
        samples = samples != null ? samples : SampleRules.defaults();
    }

    /** A job with the default sample rules ({@link SampleRules#defaults()}). */
    public TrainingJob(Path gallery, KafkaClientConfig kafka, String enrollmentTopic, String modelsTopic, String activeModelTopic,
            Path model, FileModelStore store, FineTuneSettings settings, GatePolicy gate, InferenceOptions inference,
            ModelDelivery delivery) {
        this(gallery, kafka, enrollmentTopic, modelsTopic, activeModelTopic, model, store, settings, gate, inference, delivery, null);
    }

    /** A job whose events carry the store's own locations. */
    public TrainingJob(Path gallery, KafkaClientConfig kafka, String enrollmentTopic, String modelsTopic, String activeModelTopic,
            Path model, FileModelStore store, FineTuneSettings settings, GatePolicy gate, InferenceOptions inference) {
        this(gallery, kafka, enrollmentTopic, modelsTopic, activeModelTopic, model, store, settings, gate, inference, ModelDelivery.FROM_STORE);
    }

    /**
     * The model this job starts from: with Kafka and no explicit model, the one the active-model topic names
     * (a roll back is not undone by the next run), found in the store; else the store's newest.
     */
    public StoredModel startingModel() {
        Optional<String> active = kafka == null || model != null ? Optional.empty()
                : ActiveModelReader.activeVersion(kafka, activeModelTopic, TOPIC_TIMEOUT);
        return StartingModel.resolve(store, model, active);
    }

    public RunReport run(Path workDir, TrainingProgress progress) {
        progress.phase("reconciling the model store with the models topic");
        // a model left unannounced by an earlier run that stopped is announced (or withdrawn) before a new one is made
        new PublicationReconciler(store, kafka, modelsTopic, TOPIC_TIMEOUT, delivery).reconcile();
        progress.phase("starting model");
        StoredModel current = startingModel();
        progress.phase("loading training data from " + (gallery != null ? gallery : "topic " + enrollmentTopic));
        // crops of the size the starting model takes, as its metadata says
        EmbeddingModelSpec starting = EmbeddingModelSpec.load(current.onnxFile(), current.version(), Preprocessing.DEFAULT);
        if (gallery != null) {
            GalleryCrops.Loaded data;
            FacePipelineConfig config = FacePipelineConfig.from(Settings.load(null)).withEmbedding(starting);
            try (FacePipeline pipeline = new FacePipeline(config)) {
                data = GalleryCrops.load(gallery, pipeline);
            }
            return train(withEnoughSamples(data), current, workDir, progress);
        }
        // the topic's crops wait on disk in the run folder, not in the heap, until the run has used them
        try (CropSpill spill = CropSpill.create(workDir.resolve(CropSpill.FILE_NAME))) {
            return train(topicData(starting.inputSize(), spill), current, workDir, progress);
        }
    }

    /**
     * What a run on the topics trains on: the enrollment samples, the recognitions the sample rules let in, and of
     * those the people with enough samples.
     *
     * @param spill where the crops wait; they read from it, so it stays open while they are used
     */
    public GalleryCrops.Loaded topicData(int cropSize, CropSpill spill) {
        return withEnoughSamples(EnrollmentTopicCrops.read(kafka, enrollmentTopic, samples, cropSize, TOPIC_STALL, spill));
    }

    private GalleryCrops.Loaded withEnoughSamples(GalleryCrops.Loaded data) {
        int tooFew = samples.peopleWithTooFewSamples(data.crops());
        if (tooFew > 0) {
            LOG.info("{} people with fewer than {} samples are left out of this run", tooFew, samples.minSamples());
        }
        return new GalleryCrops.Loaded(samples.withEnoughSamples(data.crops()), data.skipped(), data.unreadable());
    }

    private RunReport train(GalleryCrops.Loaded data, StoredModel current, Path workDir, TrainingProgress progress) {
        FineTuneRun run = new FineTuneRun(settings, gate, inference);
        if (kafka == null) {
            return run.run(data.crops(), data.skipped(), current.onnxFile(), workDir, d -> store.put(d).version(), progress)
                    .withUnreadable(data.unreadable());
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(ModelPublisher.producerConfig(kafka))) {
            ModelPublisher publisher = new ModelPublisher(store, producer, modelsTopic, TOPIC_TIMEOUT.toMillis(), delivery);
            return run.run(data.crops(), data.skipped(), current.onnxFile(), workDir, d -> publisher.publish(d).modelVersion(), progress)
                    .withUnreadable(data.unreadable());
        }
    }
}
