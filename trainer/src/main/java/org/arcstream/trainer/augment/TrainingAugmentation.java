package org.arcstream.trainer.augment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Random changes made to each training crop in each epoch (never to held-out or evaluation images), so that the
 * model learns faces, not one camera's look. A value of 0 turns an operation off. Each operation draws its strength
 * per sample, uniformly between none and the value given:
 *
 * @param crop re-crop: the face is scaled by a factor in [1 - crop, 1 + crop] and shifted by up to {@code crop} of the
 *     crop's size in x and y, then resampled to the crop's size (a detector's and aligner's jitter)
 * @param jitter colour jitter: brightness, contrast and saturation each multiplied by a factor in [1 - jitter, 1 + jitter]
 * @param grayscale probability that a crop is turned to grey (a monochrome camera), in [0, 1]
 * @param blur largest Gaussian blur sigma in pixels of the crop (focus, a small face upsampled)
 * @param noise largest Gaussian sensor noise, standard deviation in grey levels (0..255)
 * @param jpeg lowest JPEG quality (0..1] of a re-encoding at a quality drawn from [jpeg, 1]; 0 = no re-encoding
 */
public record TrainingAugmentation(
        @JsonProperty("crop") double crop,
        @JsonProperty("jitter") double jitter,
        @JsonProperty("grayscale") double grayscale,
        @JsonProperty("blur") double blur,
        @JsonProperty("noise") double noise,
        @JsonProperty("jpeg") double jpeg) {

    // The defaults of defaults(), the command lines and the trainer service's trainer.training.augment-* keys;
    // compile-time constants, because the service's configuration record names them in annotations. All off: on the
    // domain experiment re-cropping cost most of the gain and the other operations are not measured yet (trainer README,
    // "Training augmentation and clean originals").
    public static final double CROP = 0;
    public static final double JITTER = 0;
    public static final double GRAYSCALE = 0;
    public static final double BLUR = 0;
    public static final double NOISE = 0;
    public static final double JPEG = 0;

    /** No augmentation at all. */
    public static final TrainingAugmentation NONE = new TrainingAugmentation(0, 0, 0, 0, 0, 0);

    public TrainingAugmentation {
        require(crop >= 0 && crop <= 0.5, "augmentation crop must lie in [0, 0.5], got " + crop);
        require(jitter >= 0 && jitter <= 1, "augmentation jitter must lie in [0, 1], got " + jitter);
        require(grayscale >= 0 && grayscale <= 1, "augmentation grayscale probability must lie in [0, 1], got " + grayscale);
        require(blur >= 0 && blur <= 10, "augmentation blur sigma must lie in [0, 10], got " + blur);
        require(noise >= 0 && noise <= 64, "augmentation noise must lie in [0, 64] grey levels, got " + noise);
        require(jpeg >= 0 && jpeg <= 1, "augmentation JPEG quality must lie in [0, 1] (0 = off), got " + jpeg);
    }

    public static TrainingAugmentation defaults() {
        return new TrainingAugmentation(CROP, JITTER, GRAYSCALE, BLUR, NOISE, JPEG);
    }

    /** True when no operation is on: the crops are trained on as they are. */
    @JsonIgnore
    public boolean isNone() {
        return crop == 0 && jitter == 0 && grayscale == 0 && blur == 0 && noise == 0 && jpeg == 0;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
