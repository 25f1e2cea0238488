package org.arcstream.trainer.experiment;

import org.arcstream.trainer.loss.ArcFaceLoss;
import org.arcstream.trainer.loss.MarginLoss;
import org.arcstream.trainer.loss.SoftmaxLoss;

/** The two losses the experiment compares, with the classifier head each one trains. */
public enum LossKind {
    SOFTMAX("softmax", EmbeddingEvaluation.Head.DOT),
    ARCFACE("arcface", EmbeddingEvaluation.Head.COSINE);

    private final String key;
    private final EmbeddingEvaluation.Head head;

    LossKind(String key, EmbeddingEvaluation.Head head) {
        this.key = key;
        this.head = head;
    }

    /** Name in reports and JSON. */
    public String key() {
        return key;
    }

    public EmbeddingEvaluation.Head head() {
        return head;
    }

    /** The loss; the ArcFace settings are ignored by softmax. */
    public MarginLoss create(float arcFaceScale, float arcFaceMarginRadians, ArcFaceLoss.Variant arcFaceVariant) {
        return this == ARCFACE ? new ArcFaceLoss(arcFaceScale, arcFaceMarginRadians, arcFaceVariant) : new SoftmaxLoss();
    }
}
