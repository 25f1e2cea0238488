package org.arcstream.core.embed;

import java.nio.file.Path;

/**
 * An ONNX embedding model and how its input is prepared.
 *
 * @param id a short, stable identifier of the weights (by default a sha256 prefix of the file)
 */
public record EmbeddingModelSpec(Path file, String id, Preprocessing preprocessing) {

    public EmbeddingModelSpec(Path file, String id, int inputSize, float mean, float std, boolean bgr) {
        this(file, id, new Preprocessing(inputSize, mean, std, bgr ? Preprocessing.ChannelOrder.BGR : Preprocessing.ChannelOrder.RGB));
    }

    /**
     * The model in {@code file} with the preprocessing its metadata states, else {@code fallback}; refused
     * (naming the file) when that disagrees with the model's input shape.
     */
    public static EmbeddingModelSpec load(Path file, String id, Preprocessing fallback) {
        return new EmbeddingModelSpec(file, id, PreprocessingMetadata.of(file, fallback));
    }

    /** The model with the default preprocessing ({@link Preprocessing#DEFAULT}), whatever its metadata says. */
    public static EmbeddingModelSpec withDefaultPreprocessing(Path file, String id) {
        return new EmbeddingModelSpec(file, id, Preprocessing.DEFAULT);
    }

    public int inputSize() {
        return preprocessing.inputSize();
    }

    public float mean() {
        return preprocessing.mean();
    }

    public float std() {
        return preprocessing.std();
    }

    public boolean bgr() {
        return preprocessing.bgr();
    }
}
