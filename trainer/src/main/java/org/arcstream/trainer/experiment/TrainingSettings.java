package org.arcstream.trainer.experiment;

import java.util.Objects;
import org.arcstream.trainer.loss.ArcFaceLoss;

/**
 * How one network is trained: layer sizes, epochs over the training sample, batch size, AdamW
 * learning rate (cosine-decayed to zero over the run) and weight decay, ArcFace scale, margin and variant,
 * the training images' augmentation, and the seed of weights, class weights, shuffling and augmentation.
 */
public record TrainingSettings(
        EmbeddingCnn.Architecture architecture,
        int epochs,
        int batchSize,
        float learningRate,
        float weightDecay,
        float arcFaceScale,
        float arcFaceMarginRadians,
        ArcFaceLoss.Variant arcFaceVariant,
        ImageAugmentation augmentation,
        long seed) {

    public TrainingSettings {
        if (epochs <= 0 || batchSize <= 1) {
            throw new IllegalArgumentException("epochs must be positive and batches hold at least 2 images, got "
                    + epochs + " and " + batchSize);
        }
        if (!(learningRate > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("learning rate must be positive and weight decay not negative");
        }
        Objects.requireNonNull(augmentation, "augmentation");
    }
}
