package org.arcstream.trainer.loss;

import ai.djl.ndarray.NDArray;

/**
 * A classification loss over embeddings and one weight vector per class, the family of ArcFace and CosFace.
 *
 * <p>Shapes: {@code embeddings} (N, D), {@code classWeights} (C, D), {@code labels} (N) holding class indices
 * in {@code [0, C)} or {@code -1} for a row that takes no part in the loss. Results are attached to the
 * manager of {@code embeddings}; run a training step inside a sub-manager to free them.
 */
public interface MarginLoss {

    /** Label of a row that contributes nothing to the loss (nor to any gradient). */
    int IGNORED = -1;

    /**
     * Logits (N, C) after the margin is applied to each row's target class; embeddings and class weights are
     * L2-normalized inside ({@link SoftmaxLoss}: not normalized). Rows labelled {@link #IGNORED} get no margin.
     */
    NDArray logits(NDArray embeddings, NDArray classWeights, NDArray labels);

    /** Mean softmax cross-entropy of {@link #logits} over the rows whose label is not {@link #IGNORED}; 0 when there are none. */
    default NDArray loss(NDArray embeddings, NDArray classWeights, NDArray labels) {
        return CrossEntropy.mean(logits(embeddings, classWeights, labels), labels);
    }
}
