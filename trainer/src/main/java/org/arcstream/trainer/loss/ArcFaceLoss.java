package org.arcstream.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * Additive angular margin (ArcFace): the target logit is {@code s*cos(theta_y + m)}, every other logit
 * {@code s*cos(theta_j)}.
 *
 * <p>Cosines are clamped to {@code [-1+eps, 1-eps]} so that {@code sin(theta) = sqrt(1 - cos^2)} and its
 * gradient stay finite at {@code cos = +-1}. Where {@code theta + m > pi}, {@code cos(theta + m)} would grow
 * again as the sample moves away from its class; there the target logit falls back to the usual
 * {@code cos(theta) - m*sin(m)}, which keeps it increasing in {@code cos(theta)}. With {@code easyMargin}
 * the margin applies only where {@code cos(theta) > 0} and the fallback is not used.
 */
public final class ArcFaceLoss implements MarginLoss {

    /** Scale used in the ArcFace paper. */
    public static final float DEFAULT_SCALE = 64f;
    /** Margin used in the ArcFace paper, in radians (about 28.6 degrees). */
    public static final float DEFAULT_MARGIN = 0.5f;
    /** Cosine clamp; float32 resolves 1 - 1e-6 and keeps sqrt(1 - cos^2) about 1.4e-3 away from zero. */
    static final float EPS = 1e-6f;

    private final float scale;
    private final float margin;
    private final boolean easyMargin;
    private final double cosMargin;
    private final double sinMargin;
    private final double threshold;
    private final double fallbackShift;

    /** ArcFace with scale s, margin m in radians, and optionally the easy margin. */
    public ArcFaceLoss(float scale, float marginRadians, boolean easyMargin) {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite, got " + scale);
        }
        if (!(marginRadians >= 0) || marginRadians >= Math.PI / 2) {
            throw new IllegalArgumentException("margin must be in [0, pi/2) radians, got " + marginRadians
                    + " (for degrees use ArcFaceLoss.ofDegrees)");
        }
        this.scale = scale;
        this.margin = marginRadians;
        this.easyMargin = easyMargin;
        this.cosMargin = Math.cos(marginRadians);
        this.sinMargin = Math.sin(marginRadians);
        // theta + m > pi  <=>  cos(theta) < cos(pi - m) = -cos(m)
        this.threshold = Math.cos(Math.PI - marginRadians);
        this.fallbackShift = marginRadians * Math.sin(marginRadians);
    }

    /** The paper's defaults: s = 64, m = 0.5 rad, no easy margin. */
    public ArcFaceLoss() {
        this(DEFAULT_SCALE, DEFAULT_MARGIN, false);
    }

    /** ArcFace with the margin given in degrees (28.6 degrees is about 0.5 rad). */
    public static ArcFaceLoss ofDegrees(float scale, float marginDegrees, boolean easyMargin) {
        return new ArcFaceLoss(scale, (float) Math.toRadians(marginDegrees), easyMargin);
    }

    public float scale() {
        return scale;
    }

    public float marginRadians() {
        return margin;
    }

    public boolean easyMargin() {
        return easyMargin;
    }

    @Override
    public NDArray logits(NDArray embeddings, NDArray classWeights, NDArray labels) {
        CrossEntropy.checkShapes(embeddings, classWeights, labels);
        NDArray cos = Cosines.of(embeddings, classWeights).clip(-1 + EPS, 1 - EPS);
        NDArray target = CrossEntropy.targetMask(labels, cos);
        return targetLogits(cos).mul(target).add(cos.mul(target.neg().add(1))).mul(scale);
    }

    /** {@code cos(theta + m)} with the easy-margin or beyond-pi fallback, before scaling; input already clamped. */
    NDArray targetLogits(NDArray cos) {
        NDArray sin = cos.square().neg().add(1).sqrt();
        NDArray shifted = cos.mul(cosMargin).sub(sin.mul(sinMargin));
        if (easyMargin) {
            return NDArrays.where(cos.gt(0), shifted, cos);
        }
        return NDArrays.where(cos.gt(threshold), shifted, cos.sub(fallbackShift));
    }

    @Override
    public String toString() {
        return "ArcFaceLoss[s=" + scale + ", m=" + margin + " rad, easyMargin=" + easyMargin + "]";
    }
}
