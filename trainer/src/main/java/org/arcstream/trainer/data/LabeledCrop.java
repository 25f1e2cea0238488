package org.arcstream.trainer.data;

import java.util.Objects;
import org.arcstream.core.image.RgbImage;

/** An aligned face crop with the identity it shows and where it came from (file or topic key). */
public record LabeledCrop(String identity, String source, RgbImage crop) {

    public LabeledCrop {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(crop, "crop");
    }
}
