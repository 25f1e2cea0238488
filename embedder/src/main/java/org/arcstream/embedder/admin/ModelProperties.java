package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.time.Duration;
import org.arcstream.embedder.model.HotSwapSettings;

/**
 * Hot swap of the embedding model (keys {@code embedder.models.*}; embedder/README.md, "Hot swap of the embedding model").
 *
 * @param topic the topic the trainer announces new models on; created compacted with one partition when missing
 * @param activeTopic the compacted topic naming the version every instance embeds with; created like {@code topic}
 * @param cacheDir verified copies of fetched models; empty = a folder under the system temp dir
 * @param autoPromote promote a newly published model without an operator, once it passed the checks and the gallery
 *     was re-embedded; false: only {@code POST /admin/models/VERSION/promote} does
 * @param reindexTimeout longest a promotion waits for every identity's centroids of the new version; then it gives
 *     up and the running model stays
 */
@Context
@ConfigurationProperties("embedder.models")
public record ModelProperties(
        @NotBlank @Bindable(defaultValue = HotSwapSettings.MODELS_TOPIC) String topic,
        @NotBlank @Bindable(defaultValue = HotSwapSettings.ACTIVE_MODEL_TOPIC) String activeTopic,
        @Bindable(defaultValue = "") String cacheDir,
        @Bindable(defaultValue = "" + HotSwapSettings.AUTO_PROMOTE) boolean autoPromote,
        @DurationMin("1ms") @Bindable(defaultValue = HotSwapSettings.REINDEX_TIMEOUT_MINUTES + "m") Duration reindexTimeout) {

    /** @param download where model files may come from ({@code embedder.models.download.*}) */
    public HotSwapSettings settings(ModelDownloadProperties download) {
        return new HotSwapSettings(topic, activeTopic, cacheDir.isBlank() ? null : Path.of(cacheDir), autoPromote, reindexTimeout,
                download.settings());
    }
}
