package org.arcstream.trainer.loss;

import ai.djl.ndarray.NDArray;

/** Plain softmax cross-entropy on {@code embeddings . classWeights^T}, unnormalized and without margin (a baseline). */
public final class SoftmaxLoss implements MarginLoss {

    @Override
    public NDArray logits(NDArray embeddings, NDArray classWeights, NDArray labels) {
        CrossEntropy.checkShapes(embeddings, classWeights, labels);
        // a bad label fails in logits() as it does for the margin losses
        CrossEntropy.checkLabels(labels, classWeights.getShape().get(0));
        return embeddings.matMul(CrossEntropy.onManagerOf(embeddings, classWeights).transpose());
    }

    @Override
    public String toString() {
        return "SoftmaxLoss";
    }
}
