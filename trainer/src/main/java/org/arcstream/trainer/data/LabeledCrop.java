package org.arcstream.trainer.data;

import java.util.Objects;
import java.util.function.Supplier;
import org.arcstream.core.image.RgbImage;

/**
 * An aligned face crop with the identity it shows, where it came from (file or topic key), and the camera that
 * filmed it when that is known (null otherwise): the gate judges a model on each camera's faces separately.
 * Its pixels are either held or read when asked for (from a {@link CropSpill}), so that a training set larger
 * than the heap is a list of small handles, and only the crops in use are decoded.
 */
public final class LabeledCrop {

    private final String identity;
    private final String source;
    private final int width;
    private final int height;
    private final Supplier<RgbImage> pixels;
    private final String camera;

    /** A crop from an unknown camera. */
    public LabeledCrop(String identity, String source, RgbImage crop) {
        this(identity, source, crop, null);
    }

    public LabeledCrop(String identity, String source, RgbImage crop, String camera) {
        this(identity, source, Objects.requireNonNull(crop, "crop").width(), crop.height(), () -> crop, camera);
    }

    private LabeledCrop(String identity, String source, int width, int height, Supplier<RgbImage> pixels, String camera) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.source = source;
        this.width = width;
        this.height = height;
        this.pixels = pixels;
        this.camera = camera;
    }

    /** A crop of the given size whose pixels {@code read} gives each time they are asked for. */
    static LabeledCrop stored(String identity, String source, int width, int height, Supplier<RgbImage> read, String camera) {
        return new LabeledCrop(identity, source, width, height, read, camera);
    }

    public String identity() {
        return identity;
    }

    public String source() {
        return source;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The pixels; a stored crop is read and decoded again on every call, so callers keep only what they use. */
    public RgbImage crop() {
        return pixels.get();
    }

    /** The camera that filmed the face; null when unknown. */
    public String camera() {
        return camera;
    }

    @Override
    public String toString() {
        return "LabeledCrop[" + identity + ", " + source + ", " + width + "x" + height + (camera == null ? "" : ", " + camera) + "]";
    }
}
