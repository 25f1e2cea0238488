package org.arcstream.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.image.ImageFiles;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.pipeline.Face;
import org.arcstream.core.pipeline.FacePipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training crops from a folder-per-identity gallery: each image is detected and aligned by the face
 * pipeline and its best face kept. Unreadable images and images without a face are skipped and counted.
 */
public final class GalleryCrops {

    private static final Logger LOG = LoggerFactory.getLogger(GalleryCrops.class);

    /** The crops and how many images were skipped. */
    public record Loaded(List<LabeledCrop> crops, int skipped) {}

    private GalleryCrops() {}

    public static Loaded load(java.nio.file.Path gallery, FacePipeline pipeline) {
        List<LabeledCrop> crops = new ArrayList<>();
        int skipped = 0;
        for (Enroller.GalleryImage image : Enroller.scan(gallery)) {
            try {
                RgbImage decoded = ImageFiles.decode(pipeline.decoder(), image.file());
                Optional<Face> face = pipeline.locate(decoded).stream().findFirst();
                if (face.isEmpty()) {
                    LOG.warn("skipped {}: no face found", image.file());
                    skipped++;
                    continue;
                }
                crops.add(new LabeledCrop(image.identity(), image.file().toString(), face.get().aligned()));
            } catch (RuntimeException e) {
                LOG.warn("skipped {}: {}", image.file(), e.getMessage());
                skipped++;
            }
        }
        return new Loaded(crops, skipped);
    }
}
