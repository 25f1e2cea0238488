package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;
import org.arcstream.embedder.model.HotSwapSettings;

/**
 * Hot swap of the embedding model (keys {@code embedder.models.*}).
 *
 * @param topic the models topic the trainer publishes to
 * @param activeTopic the compacted topic holding the version every instance embeds with
 * @param cacheDir where verified copies of fetched models are kept; empty = a folder under the system temp dir
 * @param autoPromote promote a newly published model without an operator (after the checks and the re-index)
 * @param reindexTimeout longest a promotion waits for the new-version centroids of every identity
 */
@ConfigurationProperties("embedder.models")
public record ModelProperties(
        @Bindable(defaultValue = "models") String topic,
        @Bindable(defaultValue = "active-model") String activeTopic,
        @Bindable(defaultValue = "") String cacheDir,
        @Bindable(defaultValue = "true") boolean autoPromote,
        @Bindable(defaultValue = "2m") Duration reindexTimeout) {

    public HotSwapSettings settings() {
        return new HotSwapSettings(topic, activeTopic, cacheDir.isBlank() ? null : Path.of(cacheDir), autoPromote, reindexTimeout);
    }
}
