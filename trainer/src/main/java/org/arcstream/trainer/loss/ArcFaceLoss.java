package org.arcstream.trainer.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import java.util.Objects;

/**
 * Additive angular margin (ArcFace): the target logit is {@code s*cos(theta_y + m)}, every other logit
 * {@code s*cos(theta_j)}.
 *
 * <p>{@link Variant#ALGORITHM_1} is the ArcFace paper's Algorithm 1 step by step: L2-normalize features and
 * class weights, {@code cos = x . W}, clip the cosines to {@code [-1+eps, 1-eps]}, {@code theta = arccos(cos)},
 * add {@code m} to the true class's angle only, take {@code cos(theta + m)}, multiply every logit by {@code s};
 * the softmax cross-entropy follows in {@link MarginLoss#loss}. The clipping keeps arccos's derivative
 * {@code -1/sqrt(1 - cos^2)} finite where a feature lies exactly on (or opposite) a class weight. The margin
 * applies at every angle, also where {@code theta + m > pi}.
 *
 * <p>Two variants of public implementations are kept for the fine-tuning trainer: {@link Variant#FALLBACK_BEYOND_PI}
 * (where {@code theta + m > pi}, {@code cos(theta + m)} would grow again as the sample moves away from its
 * class; there the target logit falls back to {@code cos(theta) - m*sin(m)}, which keeps it increasing in
 * {@code cos(theta)}) and {@link Variant#EASY_MARGIN} (the margin only where {@code cos(theta) > 0}).
 */
public final class ArcFaceLoss implements MarginLoss {

    /** What happens to the target logit where the margin would push the angle past pi, or for obtuse angles. */
    public enum Variant {
        /** The paper's Algorithm 1: {@code cos(theta + m)} at every angle. */
        ALGORITHM_1,
        /** {@code cos(theta) - m*sin(m)} where {@code theta + m > pi}, {@code cos(theta + m)} elsewhere. */
        FALLBACK_BEYOND_PI,
        /** {@code cos(theta + m)} where {@code cos(theta) > 0}, the plain cosine elsewhere. */
        EASY_MARGIN
    }

    /** Scale used in the ArcFace paper. */
    public static final float DEFAULT_SCALE = 64f;
    /** Margin used in the ArcFace paper, in radians (about 28.6 degrees). */
    public static final float DEFAULT_MARGIN = 0.5f;
    /** Cosine clamp; float32 resolves 1 - 1e-6 and keeps sqrt(1 - cos^2) about 1.4e-3 away from zero. */
    static final float EPS = 1e-6f;

    private final float scale;
    private final float margin;
    private final Variant variant;
    private final double cosMargin;
    private final double sinMargin;
    private final double threshold;
    private final double fallbackShift;

    /** ArcFace with scale s, margin m in radians, and the fallback beyond pi or the easy margin. */
    public ArcFaceLoss(float scale, float marginRadians, boolean easyMargin) {
        this(scale, marginRadians, easyMargin ? Variant.EASY_MARGIN : Variant.FALLBACK_BEYOND_PI);
    }

    /** ArcFace with scale s, margin m in radians and the given variant. */
    public ArcFaceLoss(float scale, float marginRadians, Variant variant) {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite, got " + scale);
        }
        if (!(marginRadians >= 0) || marginRadians >= Math.PI / 2) {
            throw new IllegalArgumentException("margin must be in [0, pi/2) radians, got " + marginRadians
                    + " (for degrees use ArcFaceLoss.ofDegrees)");
        }
        this.scale = scale;
        this.margin = marginRadians;
        this.variant = Objects.requireNonNull(variant, "variant");
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
        return variant == Variant.EASY_MARGIN;
    }

    public Variant variant() {
        return variant;
    }

    @Override
    public NDArray logits(NDArray embeddings, NDArray classWeights, NDArray labels) {
        CrossEntropy.checkShapes(embeddings, classWeights, labels);
        NDArray cos = Cosines.of(embeddings, CrossEntropy.onManagerOf(embeddings, classWeights)).clip(-1 + EPS, 1 - EPS);
        // 1 at each row's true class only; an ignored row (label -1) gets no margin
        NDArray target = CrossEntropy.targetMask(labels, cos);
        return targetLogits(cos).mul(target).add(cos.mul(target.neg().add(1))).mul(scale);
    }

    /** {@code cos(theta + m)} of every entry, per the variant, before scaling; input already clipped. */
    NDArray targetLogits(NDArray cos) {
        if (variant == Variant.ALGORITHM_1) {
            return cos.acos().add(margin).cos();
        }
        NDArray sin = cos.square().neg().add(1).sqrt();
        NDArray shifted = cos.mul(cosMargin).sub(sin.mul(sinMargin));
        if (variant == Variant.EASY_MARGIN) {
            return NDArrays.where(cos.gt(0), shifted, cos);
        }
        return NDArrays.where(cos.gt(threshold), shifted, cos.sub(fallbackShift));
    }

    @Override
    public String toString() {
        return "ArcFaceLoss[s=" + scale + ", m=" + margin + " rad, " + variant + "]";
    }
}
