package org.arcstream.core.detect;

/** A detected face: corner coordinates in pixels of the original image and the detector's confidence. */
public record FaceBox(float x1, float y1, float x2, float y2, float score) {

    public float width() {
        return x2 - x1;
    }

    public float height() {
        return y2 - y1;
    }

    public float area() {
        return Math.max(0, width()) * Math.max(0, height());
    }

    /** Intersection over union with another box; 0 when either is empty. */
    public float iou(FaceBox other) {
        float w = Math.min(x2, other.x2) - Math.max(x1, other.x1);
        float h = Math.min(y2, other.y2) - Math.max(y1, other.y1);
        if (w <= 0 || h <= 0) {
            return 0;
        }
        float inter = w * h;
        return inter / (area() + other.area() - inter);
    }

    /** The same box limited to an image of the given size. */
    public FaceBox clip(int width, int height) {
        return new FaceBox(clamp(x1, width), clamp(y1, height), clamp(x2, width), clamp(y2, height), score);
    }

    private static float clamp(float v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
