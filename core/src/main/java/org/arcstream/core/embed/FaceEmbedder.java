package org.arcstream.core.embed;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.List;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.core.runtime.SharedModel;
import org.arcstream.core.runtime.SharedModels;

/**
 * Turns aligned face crops into L2-normalized embeddings, running up to {@code maxBatch} crops per
 * inference call. With test-time augmentation a face's embedding is the normalized sum of its views'
 * ({@link TestTimeAugmentation}), and the views of all faces share the calls. The model is shared process-wide ({@link SharedModels}): every embedder of the same
 * file and options runs on one session. The predictor is this one's, so it is not thread-safe: use one per thread.
 */
public final class FaceEmbedder implements AutoCloseable {

    private final EmbeddingModelSpec spec;
    private final SharedModel model;
    private final Predictor<EmbeddingTranslator.Crops, float[][]> predictor;
    private final int maxBatch;
    private final TestTimeAugmentation tta;

    /**
     * @param maxBatch crops per inference call; models whose batch dimension is fixed at 1 run one by one
     * @param flip test-time augmentation: each embedding is the normalized sum of the crop's and its mirror's
     */
    public FaceEmbedder(EmbeddingModelSpec spec, InferenceOptions options, int maxBatch, boolean flip) {
        this(spec, options, maxBatch, new TestTimeAugmentation(flip, 0));
    }

    /**
     * @param maxBatch views per inference call; models whose batch dimension is fixed at 1 run one by one
     * @param tta the views of each face whose embeddings are added and normalized into its embedding
     */
    public FaceEmbedder(EmbeddingModelSpec spec, InferenceOptions options, int maxBatch, TestTimeAugmentation tta) {
        this.spec = spec;
        this.tta = tta;
        this.model = SharedModels.process().acquire(spec.file(), options);
        this.maxBatch = model.dynamicBatch() ? Math.max(1, maxBatch) : 1;
        try {
            this.predictor = model.newPredictor(new EmbeddingTranslator(spec));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public EmbeddingModelSpec spec() {
        return spec;
    }

    public TestTimeAugmentation tta() {
        return tta;
    }

    public float[] embed(RgbImage alignedCrop) {
        return embed(List.of(alignedCrop)).get(0);
    }

    /**
     * One embedding per crop, in order. A plain crop has no margin for the shifted views: only the flip applies
     * (stored crops, re-embedded with a new model, take this way).
     */
    public List<float[]> embed(List<RgbImage> alignedCrops) {
        TestTimeAugmentation plain = tta.withoutShift();
        return embedViews(alignedCrops.stream().map(crop -> plain.views(crop, crop.width())).toList());
    }

    /**
     * One embedding per face, in order, from crops warped with {@link TestTimeAugmentation#margin()} pixels on every
     * side of the model's input size: every view of the augmentation.
     */
    public List<float[]> embedWithMargin(List<RgbImage> cropsWithMargin) {
        int size = spec.inputSize();
        return embedViews(cropsWithMargin.stream().map(crop -> tta.views(crop, size)).toList());
    }

    /** The normalized sum of each face's views' embeddings; the views of all faces share the inference calls. */
    private List<float[]> embedViews(List<List<RgbImage>> viewsPerFace) {
        List<RgbImage> inputs = new ArrayList<>();
        viewsPerFace.forEach(inputs::addAll);
        List<float[]> raw = new ArrayList<>(inputs.size());
        for (int from = 0; from < inputs.size(); from += maxBatch) {
            List<RgbImage> chunk = inputs.subList(from, Math.min(inputs.size(), from + maxBatch));
            try {
                raw.addAll(List.of(predictor.predict(new EmbeddingTranslator.Crops(chunk))));
            } catch (TranslateException e) {
                throw new IllegalStateException("embedding inference failed: " + e.getMessage(), e);
            }
        }
        List<float[]> merged = new ArrayList<>(viewsPerFace.size());
        int next = 0;
        for (List<RgbImage> views : viewsPerFace) {
            if (views.size() == 1) {
                merged.add(raw.get(next++));
                continue;
            }
            float[] sum = new float[raw.get(next).length];
            for (int v = 0; v < views.size(); v++) {
                float[] e = raw.get(next++);
                for (int k = 0; k < sum.length; k++) {
                    sum[k] += e[k];
                }
            }
            merged.add(Embeddings.normalize(sum));
        }
        return merged;
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
