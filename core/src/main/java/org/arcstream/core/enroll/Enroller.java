package org.arcstream.core.enroll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.arcstream.core.files.ImageFolders;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.pipeline.Face;
import org.arcstream.core.pipeline.FacePipeline;

/**
 * Turns enrollment images into samples. An enrollment image must show exactly one face, or the
 * caller must say which face (by index, best score first): enrolling the wrong person of a group
 * photo would poison the identity's centroid.
 */
public final class Enroller {

    private final FacePipeline pipeline;

    public Enroller(FacePipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** One sample from one image; {@code faceIndex} picks a face when the image shows several. */
    public EnrollmentSample enroll(String identity, String source, RgbImage image, OptionalInt faceIndex) {
        List<Face> faces = pipeline.locate(image);
        if (faces.isEmpty()) {
            throw new EnrollmentRejectedException(source + ": no face found");
        }
        Face chosen;
        if (faceIndex.isPresent()) {
            int i = faceIndex.getAsInt();
            if (i < 0 || i >= faces.size()) {
                throw new EnrollmentRejectedException(source + ": face index " + i + " requested but the image shows "
                        + faces.size() + " face(s) (indices 0-" + (faces.size() - 1) + ")");
            }
            chosen = faces.get(i);
        } else if (faces.size() > 1) {
            throw new EnrollmentRejectedException(source + ": " + faces.size()
                    + " faces found; give a face index (0-" + (faces.size() - 1) + ", best detection first) to choose one");
        } else {
            chosen = faces.get(0);
        }
        Face embedded = pipeline.embedAll(List.of(chosen)).get(0);
        return new EnrollmentSample(identity, source, embedded.box(), embedded.aligned(), embedded.embedding(),
                pipeline.config().embedding().id());
    }

    /** An image file of a folder-per-identity gallery, labeled with its folder's name. */
    public record GalleryImage(String identity, Path file) {}

    /**
     * Every candidate image of a folder-per-identity gallery (one sub-folder per identity, searched
     * recursively): all files but hidden ones and clear non-images such as {@code README.md} (see
     * {@link ImageFolders}); whether a file is an image is for the decoder to say, so that an unreadable
     * one is reported rather than left out.
     */
    public static List<GalleryImage> scan(Path gallery) {
        if (!Files.isDirectory(gallery)) {
            throw new IllegalArgumentException(Files.exists(gallery) ? "not a folder: " + gallery : "gallery folder not found: " + gallery);
        }
        List<GalleryImage> images = new ArrayList<>();
        try (Stream<Path> identities = Files.list(gallery)) {
            for (Path dir : identities.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).sorted().toList()) {
                ImageFolders.imagesUnder(dir).forEach(f -> images.add(new GalleryImage(dir.getFileName().toString(), f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + gallery + ": " + ImageFolders.describe(e), e);
        }
        return images;
    }
}
