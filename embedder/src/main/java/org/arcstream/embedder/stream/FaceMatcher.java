package org.arcstream.embedder.stream;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.arcstream.core.match.GalleryIndex;
import org.arcstream.core.topics.CropPng;
import org.arcstream.core.topics.EnrollmentCodec;
import org.arcstream.core.topics.EnrollmentRecord;
import org.arcstream.core.topics.FaceEmbeddingCodec;
import org.arcstream.core.topics.FaceEmbeddingRecord;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;
import org.arcstream.core.topics.RecognitionKey;
import org.arcstream.embedder.match.MatchThreshold;

/**
 * Scores each face embedding against the centroids of its own model version (an exact scan of a
 * small gallery, a graph search of a large one) and emits a match, or {@code unknown} below the current threshold, with the runner-up score.
 * A confident match that the {@link RecognitionSampler} picks also goes to the recognitions topic as a training
 * sample: the aligned crop, identity, camera and embedding, in the enrollment record's format.
 */
// the output is Object because matches and dead letters (the face's bytes) go to children of different value types
final class FaceMatcher extends ContextualProcessor<String, EmbeddedFace, String, Object> {

    static final String STAGE = "match";

    private final CentroidIndexCache indexes;
    private final MatchThreshold threshold;
    private final DeadLetters deadLetters;
    private final PipelineListener listener;
    private final RecognitionSampler sampler;
    private KeyValueStore<String, byte[]> centroids;

    FaceMatcher(CentroidIndexCache indexes, MatchThreshold threshold, DeadLetters deadLetters, PipelineListener listener,
            LearningSettings learning) {
        this.indexes = indexes;
        this.sampler = new RecognitionSampler(learning);
        this.threshold = threshold;
        this.deadLetters = deadLetters;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        super.init(context);
        centroids = context.getStateStore(EmbedderTopology.CENTROIDS_STORE);
    }

    @Override
    public void process(Record<String, EmbeddedFace> face) {
        MatchRecord match;
        FaceEmbeddingRecord embedding = face.value().embedding();
        try {
            // the embedding's length is its model's: centroids of another length are left out of the index
            GalleryIndex index = indexes.index(embedding.modelVersion(), embedding.embedding().length, centroids);
            match = MatchCodec.of(embedding, index.match(embedding.embedding(), threshold.get()));
        } catch (RuntimeException e) {
            String reason = "unmatchable: " + e.getMessage();
            // a dead letter carries the face as the faces topic has it
            Record<String, byte[]> original = face.withValue(FaceEmbeddingCodec.encode(embedding));
            context().forward(deadLetters.of(original, STAGE, reason, context().recordMetadata().orElse(null)), EmbedderTopology.DEAD_LETTER_SINK);
            return;
        }
        context().forward(face.withValue(match), EmbedderTopology.MATCHES_SINK);
        listener.onMatch(match, System.currentTimeMillis() - embedding.captureMillis());
        Optional<RecognitionKey> kept = sampler.sample(match);
        if (kept.isPresent()) {
            // the camera goes in as the sample's source; the frame's headers stay behind (they are the camera's, not the person's)
            EnrollmentRecord sample = new EnrollmentRecord(match.identity(), match.name(), match.camera(), embedding.captureMillis(),
                    CropPng.encode(face.value().aligned()), Map.of(embedding.modelVersion(), embedding.embedding()));
            context().forward(new Record<>(kept.get().toString(), EnrollmentCodec.encode(sample), face.timestamp()),
                    EmbedderTopology.RECOGNITIONS_SINK);
        }
    }
}
