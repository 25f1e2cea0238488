package org.arcstream.core.pipeline;

import java.nio.file.Path;
import java.util.Locale;
import org.arcstream.core.config.Settings;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.image.ImageLimits;
import org.arcstream.core.model.DefaultFaceModels;
import org.arcstream.core.model.FaceModelFiles;
import org.arcstream.core.model.Sha256;
import org.arcstream.core.runtime.InferenceOptions;

/** Everything the face pipeline needs: model files, thresholds, batching, device and input limits. */
public record FacePipelineConfig(
        Path detectorModel,
        Path landmarkModel,
        EmbeddingModelSpec embedding,
        float scoreThreshold,
        float nmsIou,
        int minFaceSize,
        int maxFaces,
        boolean paddedRetry,
        int embedBatch,
        boolean flip,
        InferenceOptions inference,
        ImageLimits imageLimits) {

    /**
     * Reads the settings; where a model is not configured, the default models are fetched and verified
     * on first use.
     */
    public static FacePipelineConfig from(Settings s) {
        Path detector = s.path("detector.model");
        Path landmarks = s.path("landmarks.model");
        Path embedder = s.path("embedding.model");
        if (detector == null || landmarks == null || embedder == null) {
            Path dir = s.path("models.dir");
            FaceModelFiles defaults = DefaultFaceModels.ensure(dir != null ? dir : DefaultFaceModels.defaultCacheDir());
            detector = detector != null ? detector : defaults.detector();
            landmarks = landmarks != null ? landmarks : defaults.landmarks();
            embedder = embedder != null ? embedder : defaults.embedder();
        }
        String order = s.string("embedding.channel-order").toLowerCase(Locale.ROOT);
        if (!order.equals("rgb") && !order.equals("bgr")) {
            throw new IllegalArgumentException("embedding.channel-order must be rgb or bgr, got '" + order + "'");
        }
        EmbeddingModelSpec spec = new EmbeddingModelSpec(embedder, Sha256.modelId(embedder),
                s.integer("embedding.input-size"), s.decimal("embedding.mean"), s.decimal("embedding.std"),
                order.equals("bgr"));
        return new FacePipelineConfig(detector, landmarks, spec,
                s.decimal("detector.score-threshold"), s.decimal("detector.nms-iou"),
                s.integer("detector.min-face-size"), s.integer("detector.max-faces"), s.flag("detector.padded-retry"),
                s.integer("embedding.batch-size"), s.flag("embedding.flip"),
                new InferenceOptions(s.string("inference.device"), s.integer("inference.threads")),
                new ImageLimits(s.longValue("image.max-bytes"), s.longValue("image.max-pixels"), s.integer("image.min-side")));
    }

    public FacePipelineConfig withFlip(boolean value) {
        return new FacePipelineConfig(detectorModel, landmarkModel, embedding, scoreThreshold, nmsIou,
                minFaceSize, maxFaces, paddedRetry, embedBatch, value, inference, imageLimits);
    }

    public FacePipelineConfig withPaddedRetry(boolean value) {
        return new FacePipelineConfig(detectorModel, landmarkModel, embedding, scoreThreshold, nmsIou,
                minFaceSize, maxFaces, value, embedBatch, flip, inference, imageLimits);
    }
}
