package org.arcstream.embedder.stream;

import org.arcstream.ingest.topics.FrameHeaders;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.match.CentroidIndex;
import org.arcstream.core.pipeline.Face;
import org.arcstream.core.pipeline.FacePipeline;
import org.arcstream.core.topics.FaceEmbeddingCodec;
import org.arcstream.core.topics.FaceEmbeddingRecord;
import org.arcstream.core.topics.FrameRef;
import org.arcstream.core.topics.MatchCodec;

/**
 * Turns one camera frame into one embedding record and one match record per face; a frame that
 * cannot be used goes to the dead-letter sink with the reason, so the stream never stops on bad input.
 */
final class FrameProcessor extends ContextualProcessor<String, byte[], String, byte[]> {

    static final String FACES = "faces-sink";
    static final String MATCHES = "matches-sink";
    static final String DEAD_LETTER = "dead-letter-sink";

    private final Supplier<FacePipeline> pipelines;
    private final Supplier<CentroidIndex> gallery;
    private final float threshold;
    private FacePipeline pipeline;

    FrameProcessor(Supplier<FacePipeline> pipelines, Supplier<CentroidIndex> gallery, float threshold) {
        this.pipelines = pipelines;
        this.gallery = gallery;
        this.threshold = threshold;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        super.init(context);
        // one pipeline per stream task: its predictors are not thread-safe
        pipeline = pipelines.get();
    }

    @Override
    public void process(Record<String, byte[]> frame) {
        RecordMetadata source = context().recordMetadata().orElse(null);
        List<Face> faces;
        FrameRef ref;
        long captured;
        try {
            ref = new FrameRef(camera(frame), FrameHeaders.number(frame.headers(), FrameHeaders.SEQUENCE, -1),
                    source == null ? -1 : source.partition(), source == null ? -1 : source.offset());
            if (frame.value() == null) {
                throw new IllegalArgumentException("frame has no image");
            }
            RgbImage image = pipeline.decoder().decode(frame.value());
            faces = pipeline.analyze(image);
            captured = FrameHeaders.number(frame.headers(), FrameHeaders.CAPTURE_TIMESTAMP, frame.timestamp());
        } catch (RuntimeException e) {
            deadLetter(frame, "embed", e.getMessage(), source);
            return;
        }
        if (faces.isEmpty()) {
            deadLetter(frame, "embed", "no face found", source);
            return;
        }
        CentroidIndex index = gallery.get();
        String model = pipeline.config().embedding().id();
        for (Face face : faces) {
            FaceEmbeddingRecord embedding = new FaceEmbeddingRecord(ref, captured, face.index(), face.box(),
                    face.landmarks().toArray(), model, face.embedding());
            context().forward(frame.withValue(FaceEmbeddingCodec.encode(embedding)), FACES);
            byte[] match = MatchCodec.encode(MatchCodec.of(embedding, index.match(face.embedding(), threshold)));
            context().forward(frame.withValue(match), MATCHES);
        }
    }

    private static String camera(Record<String, byte[]> frame) {
        String camera = FrameHeaders.string(frame.headers(), FrameHeaders.CAMERA);
        camera = camera != null ? camera : frame.key();
        if (camera == null || camera.isBlank()) {
            throw new IllegalArgumentException("frame names no camera (key and header '" + FrameHeaders.CAMERA + "' are empty)");
        }
        return camera;
    }

    private void deadLetter(Record<String, byte[]> frame, String stage, String reason, RecordMetadata source) {
        context().forward(frame.withHeaders(DeadLetters.headers(frame.headers(), stage, reason, source)), DEAD_LETTER);
    }

    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }
}
