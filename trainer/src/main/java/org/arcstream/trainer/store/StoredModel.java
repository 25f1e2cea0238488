package org.arcstream.trainer.store;

import java.net.URI;
import java.nio.file.Path;

/** A model read back from the store, its file verified against its digest. */
public record StoredModel(ModelMetadata metadata, Path onnxFile, URI location) {

    public String version() {
        return metadata.version();
    }
}
