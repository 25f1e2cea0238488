package org.arcstream.core.embed;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import org.arcstream.core.image.RgbImage;

/**
 * Stacks aligned crops into one (N, 3, S, S) tensor and returns one L2-normalized embedding per crop. Not
 * thread-safe, like the predictor it belongs to: the input tensor's memory is reused from call to call.
 */
public final class EmbeddingTranslator implements NoBatchifyTranslator<EmbeddingTranslator.Crops, float[][]> {

    /** The aligned crops of one inference call (all {@code inputSize x inputSize}). */
    public record Crops(List<RgbImage> images) {}

    private final EmbeddingModelSpec spec;
    /**
     * The input tensor's values, written in place. ONNX Runtime reads a direct buffer where it is; a Java
     * array it copies into new native memory on every call, which cost the embedding stage several per cent.
     */
    private FloatBuffer input = FloatBuffer.allocate(0);
    private float[] crop = new float[0];

    public EmbeddingTranslator(EmbeddingModelSpec spec) {
        this.spec = spec;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Crops crops) {
        int s = spec.inputSize();
        int per = 3 * s * s;
        List<RgbImage> images = crops.images();
        int values = images.size() * per;
        if (input.capacity() < values) {
            input = ByteBuffer.allocateDirect(values * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        if (crop.length != per) {
            crop = new float[per];
        }
        input.clear();
        for (RgbImage image : images) {
            spec.preprocessing().write(image, crop, 0);
            input.put(crop);
        }
        input.flip();
        return new NDList(ctx.getNDManager().create(input, new Shape(images.size(), 3, s, s), DataType.FLOAT32));
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
