package org.arcstream.embedder.model;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How an embedder instance follows published embedding models.
 *
 * @param modelsTopic where the trainer announces models ({@code ModelEvent}s, keyed by version)
 * @param activeModelTopic compacted, one partition: the version every instance embeds with ({@code ActiveModel})
 * @param cacheDir where verified copies of fetched models are kept (a model is loaded from its copy,
 *     never from the store, so a file changed in the store after the check cannot be loaded)
 * @param autoPromote a newly published model that passes the checks is promoted without an operator
 * @param reindexTimeout how long a promotion waits for every identity's new-version centroids
 */
public record HotSwapSettings(String modelsTopic, String activeModelTopic, Path cacheDir, boolean autoPromote,
        Duration reindexTimeout) {

    public HotSwapSettings {
        if (modelsTopic == null || modelsTopic.isBlank() || activeModelTopic == null || activeModelTopic.isBlank()) {
            throw new IllegalArgumentException("model topic names must not be empty");
        }
        if (reindexTimeout.isNegative() || reindexTimeout.isZero()) {
            throw new IllegalArgumentException("the re-index timeout must be positive");
        }
        cacheDir = cacheDir != null ? cacheDir : Path.of(System.getProperty("java.io.tmpdir"), "arcstream-embedder-models");
    }

    /** Topics {@code models} and {@code active-model}, cache under the temp dir, automatic promotion, 2 minutes. */
    public static HotSwapSettings defaults() {
        return new HotSwapSettings("models", "active-model", null, true, Duration.ofMinutes(2));
    }

    public HotSwapSettings withCacheDir(Path value) {
        return new HotSwapSettings(modelsTopic, activeModelTopic, value, autoPromote, reindexTimeout);
    }

    public HotSwapSettings withAutoPromote(boolean value) {
        return new HotSwapSettings(modelsTopic, activeModelTopic, cacheDir, value, reindexTimeout);
    }
}
