package org.arcstream.core.model;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.arcstream.core.fetch.CacheRoot;
import org.arcstream.core.files.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file ONNX Runtime loads for a model: the model itself, or a copy rewritten for faster inference
 * ({@link PreluRewriter}), kept under the source's digest so that it is made once.
 */
public final class InferenceModelFiles {

    /** Changes whenever the rewrite does, so that copies made by an older rewrite are not reused. */
    static final String REWRITE_VERSION = "prelu1";

    private static final Logger LOG = LoggerFactory.getLogger(InferenceModelFiles.class);

    private InferenceModelFiles() {}

    /**
     * The file to load for {@code model}, with copies kept under {@code CacheRoot/inference}, else (a read-only
     * home, as in the service images) under {@code java.io.tmpdir}; the model itself when neither is writable
     * (slower, same results; logged).
     */
    public static Path forInference(Path model) {
        return forInference(model, List.of(CacheRoot.dir().resolve("inference"),
                Path.of(System.getProperty("java.io.tmpdir"), "arcstream-inference")));
    }

    /**
     * The rewritten copy of {@code model} in the first of {@code cacheDirs} that takes it; the model itself when
     * nothing is to be rewritten or when it cannot be parsed (ONNX Runtime then names the problem).
     */
    static Path forInference(Path model, List<Path> cacheDirs) {
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
        byte[] content = rewritten.toByteArray();
        String name = Sha256.hex(model) + "." + REWRITE_VERSION + ".onnx";
        IOException last = null;
        for (Path dir : cacheDirs) {
            Path target = dir.resolve(name);
            try {
                // a copy is used only when it holds exactly this rewrite: never a stale or foreign file under the name
                if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), content)) {
                    return target;
                }
                Files.createDirectories(dir);
                AtomicFiles.write(target, out -> out.write(content));
                return target;
            } catch (IOException e) {
                last = e;
            }
        }
        LOG.warn("Running {} as it is (slower): cannot write its rewritten copy to {}: {}", model, cacheDirs, last.getMessage());
        return model;
    }
}
