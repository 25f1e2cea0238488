package org.arcstream.core.embed;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.List;
import org.arcstream.core.image.ImageOps;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.runtime.InferenceOptions;
import org.arcstream.core.runtime.SharedModel;
import org.arcstream.core.runtime.SharedModels;

/**
 * Turns aligned face crops into L2-normalized embeddings, running up to {@code maxBatch} crops per
 * inference call. The model is shared process-wide ({@link SharedModels}): every embedder of the same
 * file and options runs on one session. The predictor is this one's, so it is not thread-safe: use one per thread.
 */
public final class FaceEmbedder implements AutoCloseable {

    private final EmbeddingModelSpec spec;
    private final SharedModel model;
    private final Predictor<EmbeddingTranslator.Crops, float[][]> predictor;
    private final int maxBatch;
    private final boolean flip;

    /**
     * @param maxBatch crops per inference call; models whose batch dimension is fixed at 1 run one by one
     * @param flip test-time augmentation: each embedding is the normalized sum of the crop's and its mirror's
     */
    public FaceEmbedder(EmbeddingModelSpec spec, InferenceOptions options, int maxBatch, boolean flip) {
        this.spec = spec;
        this.model = SharedModels.process().acquire(spec.file(), options);
        this.maxBatch = model.dynamicBatch() ? Math.max(1, maxBatch) : 1;
        this.flip = flip;
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

    public boolean flip() {
        return flip;
    }

    public float[] embed(RgbImage alignedCrop) {
        return embed(List.of(alignedCrop)).get(0);
    }

    /** One embedding per crop, in order. */
    public List<float[]> embed(List<RgbImage> alignedCrops) {
        List<RgbImage> inputs = alignedCrops;
        if (flip) {
            inputs = new ArrayList<>(2 * alignedCrops.size());
            for (RgbImage crop : alignedCrops) {
                inputs.add(crop);
                inputs.add(ImageOps.mirror(crop));
            }
        }
        List<float[]> raw = new ArrayList<>(inputs.size());
        for (int from = 0; from < inputs.size(); from += maxBatch) {
            List<RgbImage> chunk = inputs.subList(from, Math.min(inputs.size(), from + maxBatch));
            try {
                raw.addAll(List.of(predictor.predict(new EmbeddingTranslator.Crops(chunk))));
            } catch (TranslateException e) {
                throw new IllegalStateException("embedding inference failed: " + e.getMessage(), e);
            }
        }
        if (!flip) {
            return raw;
        }
        List<float[]> merged = new ArrayList<>(alignedCrops.size());
        for (int i = 0; i < raw.size(); i += 2) {
            float[] a = raw.get(i), b = raw.get(i + 1);
            float[] sum = new float[a.length];
            for (int k = 0; k < a.length; k++) {
                sum[k] = a[k] + b[k];
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
