package org.arcstream.core.landmark;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.arcstream.core.detect.FaceBox;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.core.runtime.SharedModel;
import org.arcstream.core.runtime.SharedModels;

/**
 * Locates 68 landmarks per detected face, all faces of an image in one call when the model allows. The model
 * is shared process-wide ({@link SharedModels}), the predictor is this one's: not thread-safe.
 */
public final class LandmarkDetector implements AutoCloseable {

    private final SharedModel model;
    private final Predictor<LandmarkTranslator.Request, List<FacialLandmarks>> predictor;
    private final boolean batched;

    public LandmarkDetector(Path modelFile, InferenceOptions options) {
        this.model = SharedModels.process().acquire(modelFile, options);
        this.batched = model.dynamicBatch();
        try {
            this.predictor = model.newPredictor(new LandmarkTranslator());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public List<FacialLandmarks> locate(RgbImage image, List<FaceBox> faces) {
        if (faces.isEmpty()) {
            return List.of();
        }
        try {
            if (batched) {
                return predictor.predict(new LandmarkTranslator.Request(image, faces));
            }
            List<FacialLandmarks> out = new ArrayList<>(faces.size());
            for (FaceBox face : faces) {
                out.addAll(predictor.predict(new LandmarkTranslator.Request(image, List.of(face))));
            }
            return out;
        } catch (TranslateException e) {
            throw new IllegalStateException("landmark detection failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
