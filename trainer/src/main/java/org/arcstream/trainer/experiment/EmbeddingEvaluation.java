package org.arcstream.trainer.experiment;

import java.util.ArrayList;
import java.util.List;
import org.arcstream.core.eval.ScoredPair;
import org.arcstream.core.eval.Verification;

/**
 * Figures of a trained embedding: closed-set accuracy of the classifier head on the seen classes,
 * and verification (all pairs, cosine similarity) on any labelled set, e.g. classes held out of training.
 */
public final class EmbeddingEvaluation {

    /** How the classifier head turns an embedding into class scores. */
    public enum Head {
        /** Dot product with each class weight row: a softmax classifier's logits. */
        DOT,
        /** Cosine between embedding and class weight row: what ArcFace trains (margin left out at test time). */
        COSINE
    }

    private EmbeddingEvaluation() {}

    /** Fraction of {@code embeddings} whose highest-scoring class row of {@code classWeights} is their label. */
    public static double accuracy(float[][] embeddings, int[] labels, float[][] classWeights, Head head) {
        if (embeddings.length != labels.length || embeddings.length == 0) {
            throw new IllegalArgumentException(embeddings.length + " embeddings and " + labels.length + " labels");
        }
        float[][] rows = head == Head.COSINE ? normalized(classWeights) : classWeights;
        int right = 0;
        for (int i = 0; i < embeddings.length; i++) {
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < rows.length; c++) {
                double score = dot(embeddings[i], rows[c]);
                if (score > bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            if (best == labels[i]) {
                right++;
            }
        }
        return (double) right / embeddings.length;
    }

    /**
     * All pairs of {@code embeddings} scored by cosine similarity, "same" when the labels agree.
     * An embedding of zero length scores 0 against everything rather than NaN.
     */
    public static Verification verification(float[][] embeddings, int[] labels) {
        if (embeddings.length != labels.length) {
            throw new IllegalArgumentException(embeddings.length + " embeddings and " + labels.length + " labels");
        }
        float[][] unit = normalized(embeddings);
        List<ScoredPair> pairs = new ArrayList<>(embeddings.length * (embeddings.length - 1) / 2);
        for (int i = 0; i < unit.length; i++) {
            for (int j = i + 1; j < unit.length; j++) {
                pairs.add(new ScoredPair(dot(unit[i], unit[j]), labels[i] == labels[j]));
            }
        }
        return Verification.of(pairs);
    }

    /** Copies of the rows scaled to unit length (zero rows stay zero). */
    public static float[][] normalized(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            double norm = Math.sqrt(dot(rows[i], rows[i]));
            out[i] = new float[rows[i].length];
            if (norm > 0) {
                for (int k = 0; k < rows[i].length; k++) {
                    out[i][k] = (float) (rows[i][k] / norm);
                }
            }
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of length " + a.length + " and " + b.length);
        }
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (double) a[k] * b[k];
        }
        return s;
    }
}
