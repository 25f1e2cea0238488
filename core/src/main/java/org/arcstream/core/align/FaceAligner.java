package org.arcstream.core.align;

import java.util.List;
import org.arcstream.core.image.RgbImage;

/** Warps a face onto the standard 112x112 ArcFace template by its five landmarks. */
public final class FaceAligner {

    /** Canonical ArcFace landmark positions for a 112x112 crop. */
    public static final List<Point2> ARCFACE_TEMPLATE = List.of(
            new Point2(38.2946, 51.6963),
            new Point2(73.5318, 51.5014),
            new Point2(56.0252, 71.7366),
            new Point2(41.5493, 92.3655),
            new Point2(70.7299, 92.2041));

    public static final int SIZE = 112;

    private final int size;

    /** An aligner for crops of {@code size x size} pixels; the template is scaled from 112. */
    public FaceAligner(int size) {
        this.size = size;
    }

    public FaceAligner() {
        this(SIZE);
    }

    public int size() {
        return size;
    }

    /** The image-to-crop transform for these landmarks. */
    public SimilarityTransform transformFor(FivePoints points) {
        double s = size / (double) SIZE;
        List<Point2> template = ARCFACE_TEMPLATE.stream().map(p -> new Point2(p.x() * s, p.y() * s)).toList();
        return SimilarityTransform.estimate(points.asList(), template);
    }

    public RgbImage align(RgbImage image, FivePoints points) {
        return align(image, points, 0);
    }

    /**
     * The aligned crop with {@code margin} more pixels of the image on every side: the transform translated by
     * {@code margin}, so its centre {@code size x size} window is the aligned crop and a window {@code d} pixels off
     * centre is the crop of the transform translated by {@code d} (the shifted views of test-time augmentation).
     */
    public RgbImage align(RgbImage image, FivePoints points, int margin) {
        SimilarityTransform t = transformFor(points);
        SimilarityTransform moved = new SimilarityTransform(t.a(), t.b(), t.tx() + margin, t.ty() + margin);
        return ImageWarp.warp(image, moved.inverse(), size + 2 * margin, size + 2 * margin);
    }
}
