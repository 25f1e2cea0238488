package org.arcstream.trainer.loss;

import ai.djl.ndarray.NDArray;

/** Additive cosine margin (CosFace): target logit {@code s*(cos(theta_y) - m)}, others {@code s*cos(theta_j)}. */
public final class CosFaceLoss implements MarginLoss {

    private final float scale;
    private final float margin;

    /** CosFace with scale s and cosine margin m (the paper uses s = 64, m = 0.35). */
    public CosFaceLoss(float scale, float margin) {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite, got " + scale);
        }
        if (!(margin >= 0) || margin > 2) {
            throw new IllegalArgumentException("cosine margin must be in [0, 2], got " + margin);
        }
        this.scale = scale;
        this.margin = margin;
    }

    public float scale() {
        return scale;
    }

    public float margin() {
        return margin;
    }

    @Override
    public NDArray logits(NDArray embeddings, NDArray classWeights, NDArray labels) {
        CrossEntropy.checkShapes(embeddings, classWeights, labels);
        NDArray cos = Cosines.of(embeddings, CrossEntropy.onManagerOf(embeddings, classWeights));
        NDArray target = CrossEntropy.targetMask(labels, cos);
        return cos.sub(target.mul(margin)).mul(scale);
    }

    @Override
    public String toString() {
        return "CosFaceLoss[s=" + scale + ", m=" + margin + "]";
    }
}
