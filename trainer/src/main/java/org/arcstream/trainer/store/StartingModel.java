package org.arcstream.trainer.store;

import java.nio.file.Path;
import org.arcstream.core.model.DefaultFaceModels;

/**
 * Which model a run starts from: an explicitly given file, else the newest accepted model of the
 * store, else the default embedding model, which is then imported into the store so that every
 * later model has a parent there.
 */
public final class StartingModel {

    private StartingModel() {}

    public static StoredModel resolve(ModelStore store, Path explicit) {
        if (explicit != null) {
            return store.put(ModelDraft.imported(explicit));
        }
        return store.latest().orElseGet(() ->
                store.put(ModelDraft.imported(DefaultFaceModels.ensure(DefaultFaceModels.defaultCacheDir()).embedder())));
    }
}
