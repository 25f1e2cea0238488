package org.arcstream.core.pipeline;

import java.nio.file.Path;
import org.arcstream.core.config.Settings;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.embed.Preprocessing;
import org.arcstream.core.embed.TestTimeAugmentation;
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
        TestTimeAugmentation tta,
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
        EmbeddingModelSpec spec = embeddingSpec(s, embedder);
        return new FacePipelineConfig(detector, landmarks, spec,
                s.decimal("detector.score-threshold"), s.decimal("detector.nms-iou"),
                s.integer("detector.min-face-size"), s.integer("detector.max-faces"), s.flag("detector.padded-retry"),
                s.integer("embedding.batch-size"), tta(s),
                new InferenceOptions(s.string("inference.device"), s.integer("inference.threads")),
                new ImageLimits(s.longValue("image.max-bytes"), s.longValue("image.max-pixels"), s.integer("image.min-side")));
    }

    private static TestTimeAugmentation tta(Settings s) {
        int shift = s.integer("embedding.shift");
        if (shift < 0) {
            throw new IllegalArgumentException("embedding.shift must be 0 (off) or a positive number of pixels, got " + shift);
        }
        return new TestTimeAugmentation(s.flag("embedding.flip"), shift);
    }

    /**
     * The embedding model with the preprocessing its metadata states; the {@code embedding.input-size},
     * {@code mean}, {@code std} and {@code channel-order} settings are for models that state none (empty ones
     * take {@link Preprocessing#DEFAULT}'s values). A setting that contradicts the model's metadata is refused.
     */
    private static EmbeddingModelSpec embeddingSpec(Settings s, Path file) {
        Preprocessing d = Preprocessing.DEFAULT;
        String size = s.string("embedding.input-size"), mean = s.string("embedding.mean"), std = s.string("embedding.std");
        String order = s.string("embedding.channel-order");
        Preprocessing configured = new Preprocessing(
                size.isBlank() ? d.inputSize() : s.integer("embedding.input-size"),
                mean.isBlank() ? d.mean() : s.decimal("embedding.mean"),
                std.isBlank() ? d.std() : s.decimal("embedding.std"),
                order.isBlank() ? d.channelOrder() : channelOrder(order));
        EmbeddingModelSpec spec = EmbeddingModelSpec.load(file, Sha256.modelId(file), configured);
        Preprocessing used = spec.preprocessing();
        if ((!size.isBlank() && used.inputSize() != configured.inputSize()) || (!mean.isBlank() && used.mean() != configured.mean())
                || (!std.isBlank() && used.std() != configured.std()) || (!order.isBlank() && used.channelOrder() != configured.channelOrder())) {
            throw new IllegalArgumentException("the embedding settings (" + configured + ") contradict what model " + file
                    + " states in its metadata (" + used + "): leave embedding.input-size, mean, std and channel-order empty");
        }
        return spec;
    }

    private static Preprocessing.ChannelOrder channelOrder(String value) {
        try {
            return Preprocessing.ChannelOrder.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("embedding.channel-order must be rgb or bgr, got '" + value + "'");
        }
    }

    /** The same pipeline with another embedding model (the aligned crops take its input size). */
    public FacePipelineConfig withEmbedding(EmbeddingModelSpec value) {
        return new FacePipelineConfig(detectorModel, landmarkModel, value, scoreThreshold, nmsIou,
                minFaceSize, maxFaces, paddedRetry, embedBatch, tta, inference, imageLimits);
    }

    public FacePipelineConfig withTta(TestTimeAugmentation value) {
        return new FacePipelineConfig(detectorModel, landmarkModel, embedding, scoreThreshold, nmsIou,
                minFaceSize, maxFaces, paddedRetry, embedBatch, value, inference, imageLimits);
    }

    public FacePipelineConfig withPaddedRetry(boolean value) {
        return new FacePipelineConfig(detectorModel, landmarkModel, embedding, scoreThreshold, nmsIou,
                minFaceSize, maxFaces, value, embedBatch, tta, inference, imageLimits);
    }
}
