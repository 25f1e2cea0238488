package org.arcstream.core.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.arcstream.core.fetch.CacheRoot;
import org.arcstream.core.fetch.FetchException;
import org.arcstream.core.fetch.NpmPackageCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default face models (detector, 68-point landmarks, embedding) from the MIT-licensed npm package
 * {@value #PACKAGE}: fetched with {@code npm pack} when missing, verified by SHA-256, cached in a
 * directory ({@link NpmPackageCache}), and the embedder rewritten to a dynamic batch dimension.
 */
public final class DefaultFaceModels {

    public static final String PACKAGE = "faceplugin-face-recognition-js@0.0.1";
    static final String TARBALL_SHA256 = "7ea06031d9a3f83753254fcff60506a07b81b46fc84d4ee024cd041f260ec1ba";
    static final Map<String, String> FILES = Map.of(
            "fr_detect.onnx", "6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854",
            "fr_landmark.onnx", "f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258",
            "fr_feature.onnx", "87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581");
    static final String BATCH_EMBEDDER = "fr_feature.batch.onnx";
    static final String BATCH_LANDMARKS = "fr_landmark.batch.onnx";

    private static final Logger LOG = LoggerFactory.getLogger(DefaultFaceModels.class);
    private static final NpmPackageCache CACHE = new NpmPackageCache("the default face models", PACKAGE, TARBALL_SHA256,
            FILES, DefaultFaceModels::extract, "Set models.dir (env ARCSTREAM_MODELS_DIR) to a writable directory.");

    private DefaultFaceModels() {}

    /** {@code $XDG_CACHE_HOME/arcstream/models}, else {@code ~/.cache/arcstream/models}. */
    public static Path defaultCacheDir() {
        return CacheRoot.dir().resolve("models");
    }

    /**
     * Makes sure verified models are in {@code dir}, fetching them if needed; safe across threads and
     * processes. The batch-dynamic variants are prepared under the same lock, so two processes never
     * write one at the same time.
     */
    public static FaceModelFiles ensure(Path dir) {
        try {
            return CACHE.ensure(dir, d -> new FaceModelFiles(
                    d.resolve("fr_detect.onnx"),
                    prepared(d.resolve("fr_landmark.onnx"), d.resolve(BATCH_LANDMARKS)),
                    prepared(d.resolve("fr_feature.onnx"), d.resolve(BATCH_EMBEDDER))));
        } catch (FetchException e) {
            throw new ModelUnavailableException(e.getMessage(), e);
        }
    }

    /** The batch-dynamic variant of {@code source}, rebuilt when missing or made from other weights. */
    private static Path prepared(Path source, Path target) {
        if (Files.isRegularFile(target) && Sha256.hex(source).equals(DynamicBatchRewriter.sourceDigest(target))) {
            return target;
        }
        LOG.info("Rewriting {} to a dynamic batch dimension", source.getFileName());
        return DynamicBatchRewriter.rewrite(source, target);
    }

    /** Checks a file against its expected digest; the message names the file, both digests and the fix. */
    static void verify(Path file, String expected, Path dir) {
        try {
            CACHE.verify(file, expected, dir);
        } catch (FetchException e) {
            throw new ModelUnavailableException(e.getMessage(), e);
        }
    }

    /** The three models lie in the package's {@code model/} folder, beside the JavaScript that runs them. */
    private static void extract(Path tarball, Path work) throws IOException {
        NpmPackageCache.eachEntry(tarball, (name, content) -> {
            String file = name.substring(name.lastIndexOf('/') + 1);
            if (name.equals("package/model/" + file) && FILES.containsKey(file)) {
                Files.copy(content, work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        });
    }
}
