package org.arcstream.trainer.store;

import java.util.List;
import java.util.Optional;

/** Where published embedding models live: ONNX file, digest and metadata, addressed by version. */
public interface ModelStore {

    /** Stores the draft's file under its sha256-derived version; storing the same file twice is harmless. */
    StoredModel put(ModelDraft draft);

    /**
     * The model of that version, its file checked against the recorded digest and parsed as ONNX.
     *
     * @throws CorruptModelException when the check fails
     * @throws java.util.NoSuchElementException for an unknown version
     */
    StoredModel get(String version);

    /** The metadata of every stored model, oldest first. */
    List<ModelMetadata> list();

    /** The newest model that was accepted by the gate or imported and not marked unpublished, verified as by {@link #get}. */
    Optional<StoredModel> latest();

    /**
     * Marks a stored model as one never to be announced (it stays in the store as the parent of later models).
     *
     * @return its metadata with the mark
     */
    ModelMetadata markUnpublished(String version, String reason);
}
