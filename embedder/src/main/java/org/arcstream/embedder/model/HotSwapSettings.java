package org.arcstream.embedder.model;

import java.nio.file.Path;
import java.time.Duration;
import org.arcstream.embedder.delivery.DownloadSettings;

/**
 * How an embedder instance follows published embedding models.
 *
 * @param modelsTopic where the trainer announces models ({@code ModelEvent}s, keyed by version)
 * @param activeModelTopic compacted, one partition: the version every instance embeds with ({@code ActiveModel})
 * @param cacheDir where verified copies of fetched models are kept (a model is loaded from its copy,
 *     never from the store, so a file changed in the store after the check cannot be loaded)
 * @param autoPromote a newly published model that passes the checks is promoted without an operator
 * @param reindexTimeout how long a promotion waits for every identity's new-version centroids
 * @param download where model files may be fetched from, and how
 */
public record HotSwapSettings(String modelsTopic, String activeModelTopic, Path cacheDir, boolean autoPromote,
        Duration reindexTimeout, DownloadSettings download) {

    // the defaults of defaults() and of the service's embedder.models.* keys; compile-time constants for the annotations
    public static final String MODELS_TOPIC = "models";
    public static final String ACTIVE_MODEL_TOPIC = "active-model";
    public static final boolean AUTO_PROMOTE = true;
    public static final int REINDEX_TIMEOUT_MINUTES = 2;

    public HotSwapSettings {
        if (modelsTopic == null || modelsTopic.isBlank() || activeModelTopic == null || activeModelTopic.isBlank()) {
            throw new IllegalArgumentException("model topic names must not be empty");
        }
        if (reindexTimeout.isNegative() || reindexTimeout.isZero()) {
            throw new IllegalArgumentException("the re-index timeout must be positive");
        }
        cacheDir = cacheDir != null ? cacheDir : Path.of(System.getProperty("java.io.tmpdir"), "arcstream-embedder-models");
        download = download != null ? download : DownloadSettings.defaults();
    }

    /**
     * Topics {@code models} and {@code active-model}, cache under the temp dir, automatic promotion, 2 minutes; models only
     * from the starting model's folder ({@link DownloadSettings#defaults()}).
     */
    public static HotSwapSettings defaults() {
        return new HotSwapSettings(MODELS_TOPIC, ACTIVE_MODEL_TOPIC, null, AUTO_PROMOTE, Duration.ofMinutes(REINDEX_TIMEOUT_MINUTES), null);
    }

    public HotSwapSettings withCacheDir(Path value) {
        return new HotSwapSettings(modelsTopic, activeModelTopic, value, autoPromote, reindexTimeout, download);
    }

    public HotSwapSettings withAutoPromote(boolean value) {
        return new HotSwapSettings(modelsTopic, activeModelTopic, cacheDir, value, reindexTimeout, download);
    }

    public HotSwapSettings withDownload(DownloadSettings value) {
        return new HotSwapSettings(modelsTopic, activeModelTopic, cacheDir, autoPromote, reindexTimeout, value);
    }
}
