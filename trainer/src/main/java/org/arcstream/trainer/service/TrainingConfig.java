package org.arcstream.trainer.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.arcstream.trainer.finetune.FineTuneSettings;

/**
 * Training settings of service runs (keys under {@code trainer.training}); see {@link FineTuneSettings}, whose
 * constants are the defaults.
 *
 * @param epochs passes over the training images per run
 * @param batchSize images per training step (at least 2)
 * @param learningRate step size of the optimizer (positive)
 * @param optimizer {@code sgd} (momentum 0.9) or {@code adamw}
 * @param weightDecay L2 penalty on the trained weights
 * @param trainLastInitializers only the last N weight tensors of the graph are trained; the rest stay frozen
 * @param arcScale ArcFace logit scale s
 * @param arcMarginRadians ArcFace additive angular margin m, in [0, pi/2)
 * @param heldoutIdentityFraction share of identities never trained on, kept for the gate, in (0, 1)
 * @param heldoutImagesPerIdentity images per trained identity kept out of training for the gate
 * @param seed seeds the split, the batch order and the flips
 */
@Context
@ConfigurationProperties("trainer.training")
public record TrainingConfig(
        @Min(1) @Bindable(defaultValue = "" + FineTuneSettings.EPOCHS) int epochs,
        @Min(2) @Bindable(defaultValue = "" + FineTuneSettings.BATCH_SIZE) int batchSize,
        @Positive @Bindable(defaultValue = "" + FineTuneSettings.LEARNING_RATE) double learningRate,
        @Pattern(regexp = "(?i)sgd|adamw") @Bindable(defaultValue = FineTuneSettings.OPTIMIZER) String optimizer,
        @DecimalMin("0") @Bindable(defaultValue = "" + FineTuneSettings.WEIGHT_DECAY) double weightDecay,
        @Min(1) @Bindable(defaultValue = "" + FineTuneSettings.TRAIN_LAST_INITIALIZERS) int trainLastInitializers,
        @Positive @Bindable(defaultValue = "" + FineTuneSettings.ARC_SCALE) double arcScale,
        @DecimalMin("0") @DecimalMax(value = "1.5707963267948966", inclusive = false, message = "must be less than {value}")
        @Bindable(defaultValue = "" + FineTuneSettings.ARC_MARGIN_RADIANS) double arcMarginRadians,
        @Positive @DecimalMax(value = "1", inclusive = false, message = "must be less than {value}")
        @Bindable(defaultValue = "" + FineTuneSettings.HELD_OUT_IDENTITY_FRACTION) double heldoutIdentityFraction,
        @Min(0) @Bindable(defaultValue = "" + FineTuneSettings.HELD_OUT_IMAGES_PER_IDENTITY) int heldoutImagesPerIdentity,
        @Bindable(defaultValue = "" + FineTuneSettings.SEED) long seed) {

    public FineTuneSettings toSettings() {
        return new FineTuneSettings(epochs, batchSize, learningRate, optimizer, weightDecay, trainLastInitializers,
                arcScale, arcMarginRadians, heldoutIdentityFraction, heldoutImagesPerIdentity, seed);
    }
}
