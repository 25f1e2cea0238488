package org.arcstream.trainer.loss;

import ai.djl.ndarray.NDArray;

/** Cosine similarity of every embedding with every class weight, with gradients that stay finite. */
final class Cosines {

    /** Squared-norm floor: a zero vector normalizes to zero instead of NaN. */
    private static final float MIN_SQUARED_NORM = 1e-24f;

    private Cosines() {}

    /** (N, C) cosines of L2-normalized embeddings (N, D) and class weights (C, D). */
    static NDArray of(NDArray embeddings, NDArray classWeights) {
        return normalizeRows(embeddings).matMul(normalizeRows(classWeights).transpose());
    }

    static NDArray normalizeRows(NDArray x) {
        return x.div(x.square().sum(new int[] {1}, true).maximum(MIN_SQUARED_NORM).sqrt());
    }
}
