package org.arcstream.trainer.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.arcstream.trainer.augment.TrainingAugmentation;
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
 * @param seed seeds the split, the batch order, the flips and the augmentation
 * @param augmentCrop training augmentation (each training crop in each epoch, never held-out images; 0 = off): re-crop,
 *     scale by up to 1 +/- this and shift by up to this share of the crop's size, in [0, 0.5]
 * @param augmentJitter colour jitter: brightness, contrast and saturation times up to 1 +/- this, in [0, 1]
 * @param augmentGrayscale probability that a training crop is turned grey, in [0, 1]
 * @param augmentBlur largest Gaussian blur sigma in pixels, in [0, 10]
 * @param augmentNoise largest Gaussian noise in grey levels (standard deviation), in [0, 64]
 * @param augmentJpeg lowest quality of a JPEG re-encoding at a quality drawn up to 1, in [0, 1]; 0 = none
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
        @Bindable(defaultValue = "" + FineTuneSettings.SEED) long seed,
        @DecimalMin("0") @DecimalMax("0.5") @Bindable(defaultValue = "" + TrainingAugmentation.CROP) double augmentCrop,
        @DecimalMin("0") @DecimalMax("1") @Bindable(defaultValue = "" + TrainingAugmentation.JITTER) double augmentJitter,
        @DecimalMin("0") @DecimalMax("1") @Bindable(defaultValue = "" + TrainingAugmentation.GRAYSCALE) double augmentGrayscale,
        @DecimalMin("0") @DecimalMax("10") @Bindable(defaultValue = "" + TrainingAugmentation.BLUR) double augmentBlur,
        @DecimalMin("0") @DecimalMax("64") @Bindable(defaultValue = "" + TrainingAugmentation.NOISE) double augmentNoise,
        @DecimalMin("0") @DecimalMax("1") @Bindable(defaultValue = "" + TrainingAugmentation.JPEG) double augmentJpeg) {

    public FineTuneSettings toSettings() {
        return new FineTuneSettings(epochs, batchSize, learningRate, optimizer, weightDecay, trainLastInitializers,
                arcScale, arcMarginRadians, heldoutIdentityFraction, heldoutImagesPerIdentity, seed,
                new TrainingAugmentation(augmentCrop, augmentJitter, augmentGrayscale, augmentBlur, augmentNoise, augmentJpeg));
    }
}
