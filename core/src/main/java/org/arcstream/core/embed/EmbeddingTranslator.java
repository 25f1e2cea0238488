package org.arcstream.core.embed;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.util.List;
import org.arcstream.core.image.RgbImage;

/** Stacks aligned crops into one (N, 3, S, S) tensor and returns one L2-normalized embedding per crop. */
public final class EmbeddingTranslator implements NoBatchifyTranslator<EmbeddingTranslator.Crops, float[][]> {

    /** The aligned crops of one inference call (all {@code inputSize x inputSize}). */
    public record Crops(List<RgbImage> images) {}

    private final EmbeddingModelSpec spec;

    public EmbeddingTranslator(EmbeddingModelSpec spec) {
        this.spec = spec;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Crops crops) {
        int s = spec.inputSize();
        int per = 3 * s * s;
        List<RgbImage> images = crops.images();
        float[] batch = new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            spec.preprocessing().write(images.get(i), batch, i * per);
        }
        return new NDList(ctx.getNDManager().create(batch, new Shape(images.size(), 3, s, s)));
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
        float[] flat = list.get(0).toFloatArray();
        long n = list.get(0).getShape().get(0);
        int dim = (int) (flat.length / n);
        float[][] out = new float[(int) n][];
        for (int i = 0; i < n; i++) {
            float[] v = new float[dim];
            System.arraycopy(flat, i * dim, v, 0, dim);
            out[i] = Embeddings.normalize(v);
        }
        return out;
    }
}
