package org.arcstream.core.detect;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.nio.file.Path;
import java.util.List;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.core.runtime.SharedModel;
import org.arcstream.core.runtime.SharedModels;

/**
 * Finds faces in an image with the RFB-320 detector; boxes come sorted by descending score. The model is
 * shared with every other detector of the process ({@link SharedModels}); the predictor is this one's, so
 * a detector is not thread-safe.
 */
public final class FaceDetector implements AutoCloseable {

    private final SharedModel model;
    private final Predictor<RgbImage, List<FaceBox>> predictor;

    public FaceDetector(Path modelFile, float scoreThreshold, float iouThreshold, InferenceOptions options) {
        this.model = SharedModels.process().acquire(modelFile, options);
        try {
            this.predictor = model.newPredictor(new DetectorTranslator(scoreThreshold, iouThreshold));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public List<FaceBox> detect(RgbImage image) {
        try {
            return predictor.predict(image);
        } catch (TranslateException e) {
            throw new IllegalStateException("face detection failed: " + e.getMessage(), e);
        }
    }

    /**
     * Detects on the image centred on a grey canvas twice its size ({@link PaddedCanvas}), for faces that touch
     * the image border; boxes come in the image's coordinates, sorted by descending score, and may extend past
     * the image border.
     */
    public List<FaceBox> detectPadded(RgbImage image) {
        PaddedCanvas padded = PaddedCanvas.of(image, DetectorTranslator.INPUT_WIDTH, DetectorTranslator.INPUT_HEIGHT);
        return padded.toImage(detect(padded.canvas()));
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
