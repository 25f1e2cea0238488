package org.arcstream.embedder.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.embed.FaceEmbedder;
import org.arcstream.core.pipeline.FacePipelineConfig;
import org.arcstream.embedder.delivery.DownloadSettings;

/**
 * Published model files made fit for loading: fetched into the cache, sha256 verified and checked as an
 * embedding model, once per version; and the face pipeline configuration that embeds with one.
 */
final class VerifiedModels implements AutoCloseable {

    /** A model file that passed every check, with its embedding length. */
    record Verified(Path file, int dimension) {}

    private final FacePipelineConfig base;
    private final ModelFetcher fetcher;
    private final EmbeddingModelCheck check;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    /** @param base the configuration the instance started with: everything but the embedding model stays */
    VerifiedModels(FacePipelineConfig base, Path cacheDir, DownloadSettings download) {
        this.base = base;
        this.fetcher = new ModelFetcher(cacheDir, download);
        this.check = new EmbeddingModelCheck(base.embedding().inputSize());
    }

    /** The verified copy of a version; {@link ModelRefusedException} with the reason when it cannot be used. */
    Verified verify(ModelEntry entry) {
        Verified known = verified.get(entry.version());
        if (known != null) {
            return known;
        }
        Path file = fetcher.fetch(entry.version(), entry.location(), entry.sha256());
        Verified fresh = new Verified(file, check.check(file));
        verified.put(entry.version(), fresh);
        return fresh;
    }

    /** Forgets a version that is no longer kept and removes its copy. */
    void evict(String version) {
        verified.remove(version);
        fetcher.evict(version);
    }

    @Override
    public void close() {
        fetcher.close();
    }

    FacePipelineConfig configFor(String version, Path file) {
        EmbeddingModelSpec s = base.embedding();
        EmbeddingModelSpec spec;
        try {
            // the preprocessing the new model states in its metadata; one that states none is fed as the running one
            spec = version.equals(s.id()) && file.equals(s.file()) ? s : EmbeddingModelSpec.load(file, version, s.preprocessing());
        } catch (IllegalArgumentException e) {
            throw new ModelRefusedException(e.getMessage(), e);
        }
        return new FacePipelineConfig(base.detectorModel(), base.landmarkModel(), spec, base.scoreThreshold(), base.nmsIou(),
                base.minFaceSize(), base.maxFaces(), base.paddedRetry(), base.embedBatch(), base.tta(), base.inference(),
                base.imageLimits());
    }

    /** An embedder of the version alone (for re-embedding the gallery before the switch); the caller closes it. */
    FaceEmbedder embedderFor(String version, Path file) {
        FacePipelineConfig config = configFor(version, file);
        return new FaceEmbedder(config.embedding(), config.inference(), config.embedBatch(), config.tta());
    }
}
