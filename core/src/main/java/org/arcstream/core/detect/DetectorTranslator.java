package org.arcstream.core.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.util.ArrayList;
import java.util.List;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.image.Tensors;

/**
 * Pre- and post-processing of the Ultra-Light RFB-320 detector: the whole image resized to 320x240,
 * (pixel - 127) / 128 in RGB planes; outputs are softmaxed scores and already decoded normalized corners.
 */
public final class DetectorTranslator implements NoBatchifyTranslator<RgbImage, List<FaceBox>> {

    static final int INPUT_WIDTH = 320;
    static final int INPUT_HEIGHT = 240;
    private static final String IMAGE_SIZE = "imageSize";

    private final float scoreThreshold;
    private final float iouThreshold;

    public DetectorTranslator(float scoreThreshold, float iouThreshold) {
        this.scoreThreshold = scoreThreshold;
        this.iouThreshold = iouThreshold;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, RgbImage image) {
        ctx.setAttachment(IMAGE_SIZE, new int[] {image.width(), image.height()});
        float[] chw = Tensors.resizedChw(image, INPUT_WIDTH, INPUT_HEIGHT, 127f, 128f);
        return new NDList(ctx.getNDManager().create(chw, new Shape(1, 3, INPUT_HEIGHT, INPUT_WIDTH)));
    }

    @Override
    public List<FaceBox> processOutput(TranslatorContext ctx, NDList list) {
        int[] size = (int[]) ctx.getAttachment(IMAGE_SIZE);
        NDArray scoresArray = byName(list, "scores", 0);
        NDArray boxesArray = byName(list, "boxes", 1);
        float[] scores = scoresArray.toFloatArray();
        float[] boxes = boxesArray.toFloatArray();
        int anchors = scores.length / 2;
        List<FaceBox> candidates = new ArrayList<>();
        for (int i = 0; i < anchors; i++) {
            float score = scores[2 * i + 1];
            if (score >= scoreThreshold) {
                candidates.add(new FaceBox(
                        boxes[4 * i] * size[0], boxes[4 * i + 1] * size[1],
                        boxes[4 * i + 2] * size[0], boxes[4 * i + 3] * size[1], score));
            }
        }
        return NonMaxSuppression.apply(candidates, iouThreshold);
    }

    private static NDArray byName(NDList list, String name, int fallbackIndex) {
        NDArray named = list.get(name);
        return named != null ? named : list.get(fallbackIndex);
    }
}
