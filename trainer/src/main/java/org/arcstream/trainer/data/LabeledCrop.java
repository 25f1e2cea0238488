package org.arcstream.trainer.data;

import java.util.Objects;
import org.arcstream.core.image.RgbImage;

/**
 * An aligned face crop with the identity it shows, where it came from (file or topic key), and the camera that
 * filmed it when that is known (null otherwise): the gate judges a model on each camera's faces separately.
 */
public record LabeledCrop(String identity, String source, RgbImage crop, String camera) {

    public LabeledCrop {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(crop, "crop");
    }

    /** A crop from an unknown camera. */
    public LabeledCrop(String identity, String source, RgbImage crop) {
        this(identity, source, crop, null);
    }
}
