package org.arcstream.trainer.store;

import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.arcstream.core.model.DefaultFaceModels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which model a run starts from: an explicitly given file; else the model the embedders use (the
 * active-model topic's version), so that a roll back is where the next run starts; else the newest
 * accepted model of the store; else the default embedding model, which is then imported into the
 * store so that every later model has a parent there.
 */
public final class StartingModel {

    private static final Logger LOG = LoggerFactory.getLogger(StartingModel.class);

    private StartingModel() {}

    /** As {@link #resolve(ModelStore, Path, Optional)} without an active version (no Kafka). */
    public static StoredModel resolve(ModelStore store, Path explicit) {
        return resolve(store, explicit, Optional.empty());
    }

    /**
     * @param active the version the embedders use, when the active-model topic names one
     * @throws CorruptModelException when the chosen stored model fails its check: a run does not quietly start
     *     from another model than the one the operator chose
     */
    public static StoredModel resolve(ModelStore store, Path explicit, Optional<String> active) {
        if (explicit != null) {
            return store.put(ModelDraft.imported(explicit));
        }
        if (active.isPresent()) {
            try {
                return store.get(active.get());
            } catch (NoSuchElementException e) {
                // e.g. the embedders still run a model this store never held: start from what the store has
                LOG.warn("the active model {} is not in the store {}; starting from the store's newest model instead",
                        active.get(), store);
            }
        }
        return store.latest().orElseGet(() ->
                store.put(ModelDraft.imported(DefaultFaceModels.ensure(DefaultFaceModels.defaultCacheDir()).embedder())));
    }
}
