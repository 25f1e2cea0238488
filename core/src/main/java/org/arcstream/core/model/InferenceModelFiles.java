package org.arcstream.core.model;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.arcstream.core.fetch.CacheRoot;
import org.arcstream.core.files.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file ONNX Runtime loads for a model: the model itself, or a copy rewritten for faster inference
 * ({@link PreluRewriter}), kept in the cache folder under the source's digest so that it is made once.
 */
public final class InferenceModelFiles {

    /** Changes whenever the rewrite does, so that copies made by an older rewrite are not reused. */
    static final String REWRITE_VERSION = "prelu1";

    private static final Logger LOG = LoggerFactory.getLogger(InferenceModelFiles.class);

    private InferenceModelFiles() {}

    /** The file to load for {@code model} with copies kept under {@code CacheRoot/inference}. */
    public static Path forInference(Path model) {
        return forInference(model, CacheRoot.dir().resolve("inference"));
    }

    /**
     * The file to load for {@code model}: the rewritten copy in {@code cacheDir}, made now if missing; the model
     * itself when nothing is to be rewritten, when it cannot be parsed (ONNX Runtime then names the problem) or
     * when the copy cannot be written (slower, same results; logged).
     */
    static Path forInference(Path model, Path cacheDir) {
        ModelProto parsed;
        try (InputStream in = Files.newInputStream(model)) {
            parsed = ModelProto.parseFrom(in);
        } catch (IOException | RuntimeException e) {
            return model;
        }
        ModelProto rewritten = PreluRewriter.rewrite(parsed);
        if (rewritten == parsed) {
            return model;
        }
        Path target = cacheDir.resolve(Sha256.hex(model) + "." + REWRITE_VERSION + ".onnx");
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            Files.createDirectories(cacheDir);
            AtomicFiles.write(target, rewritten::writeTo);
            return target;
        } catch (IOException e) {
            LOG.warn("Running {} as it is (slower): cannot write its rewritten copy to {}: {}", model, target, e.getMessage());
            return model;
        }
    }
}
