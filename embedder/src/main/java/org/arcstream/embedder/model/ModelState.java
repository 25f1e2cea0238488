package org.arcstream.embedder.model;

/** Where a model version stands on this embedder instance. */
public enum ModelState {
    /** Published; not checked yet, or checked and waiting for a promotion. */
    AVAILABLE,
    /** Being checked, or the gallery is being re-embedded into it before the switch. */
    PREPARING,
    /** Every frame is embedded with it. */
    ACTIVE,
    /** The version replaced by the active one; its embeddings and centroids are kept for a roll back. */
    PREVIOUS,
    /** Replaced longer ago: its embeddings and centroids were removed. Promoting it re-embeds the gallery. */
    RETIRED,
    /** Failed a check (digest, ONNX Runtime load, shapes, re-index); the reason says which. */
    REFUSED
}
