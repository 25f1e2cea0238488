package org.arcstream.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.arcstream.core.enroll.Enroller;
import org.arcstream.core.files.ImageFolders;
import org.arcstream.core.files.UnreadableImage;
import org.arcstream.core.files.UnreadableImageException;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.pipeline.Face;
import org.arcstream.core.pipeline.FacePipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training crops from a folder-per-identity gallery: each image is detected and aligned by the face
 * pipeline and its best face kept. Images that cannot be decoded and images without a face are skipped,
 * logged with their reason and counted; the unreadable ones are also listed, for the run report.
 */
public final class GalleryCrops {

    private static final Logger LOG = LoggerFactory.getLogger(GalleryCrops.class);

    /** The crops, how many images were skipped (unreadable or without a face), and the unreadable ones. */
    public record Loaded(List<LabeledCrop> crops, int skipped, List<UnreadableImage> unreadable) {

        public Loaded(List<LabeledCrop> crops, int skipped) {
            this(crops, skipped, List.of());
        }
    }

    private GalleryCrops() {}

    public static Loaded load(java.nio.file.Path gallery, FacePipeline pipeline) {
        return load(gallery, pipeline, false);
    }

    /**
     * @param withMargin keep each face's crop with the margin the pipeline's test-time shifts need (see
     *     {@link Face#withMargin()}) instead of the plain aligned crop
     */
    public static Loaded load(java.nio.file.Path gallery, FacePipeline pipeline, boolean withMargin) {
        List<LabeledCrop> crops = new ArrayList<>();
        List<UnreadableImage> unreadable = new ArrayList<>();
        int skipped = 0;
        for (Enroller.GalleryImage image : Enroller.scan(gallery)) {
            RgbImage decoded;
            try {
                decoded = ImageFolders.read(pipeline.decoder(), image.file());
            } catch (UnreadableImageException e) {
                LOG.warn("skipped unreadable image {}", e.image());
                unreadable.add(e.image());
                skipped++;
                continue;
            }
            Optional<Face> face = pipeline.locate(decoded).stream().findFirst();
            if (face.isEmpty()) {
                LOG.warn("skipped {}: no face found", image.file());
                skipped++;
                continue;
            }
            RgbImage crop = withMargin ? face.get().withMargin() : face.get().aligned();
            if (crop == null) {
                throw new IllegalArgumentException("crops with a margin need a pipeline with test-time shifts (embedding.shift above 0)");
            }
            crops.add(new LabeledCrop(image.identity(), image.file().toString(), crop));
        }
        return new Loaded(crops, skipped, List.copyOf(unreadable));
    }
}
