package org.arcstream.core.embed;

import java.nio.file.Path;

/**
 * An ONNX embedding model and how its input is prepared: square aligned crops of {@code inputSize},
 * each channel mapped to (pixel - mean) / std, in RGB or BGR order.
 *
 * @param id a short, stable identifier of the weights (by default a sha256 prefix of the file)
 */
public record EmbeddingModelSpec(Path file, String id, int inputSize, float mean, float std, boolean bgr) {

    public EmbeddingModelSpec {
        if (inputSize < 16) {
            throw new IllegalArgumentException("embedding input size must be at least 16, got " + inputSize);
        }
        if (std == 0) {
            throw new IllegalArgumentException("embedding normalization std must not be 0");
        }
    }

    /** The default fr_feature layout: 112x112 RGB, (pixel - 127) / 128. */
    public static EmbeddingModelSpec arcface112(Path file, String id) {
        return new EmbeddingModelSpec(file, id, 112, 127f, 128f, false);
    }
}
