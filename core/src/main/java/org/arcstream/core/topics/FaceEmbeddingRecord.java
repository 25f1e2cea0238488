package org.arcstream.core.topics;

import org.arcstream.core.detect.FaceBox;

/**
 * One face found in a camera frame, with its embedding: the value of the embeddings topic.
 *
 * @param captureMillis capture time of the frame, epoch milliseconds
 * @param faceIndex rank of the face in its frame by detector score (0 = best)
 * @param landmarks the five alignment points as x0, y0, ..., x4, y4
 * @param modelVersion id of the embedding model; embeddings of different versions are never compared
 */
public record FaceEmbeddingRecord(
        FrameRef frame,
        long captureMillis,
        int faceIndex,
        FaceBox box,
        float[] landmarks,
        String modelVersion,
        float[] embedding) {

    public FaceEmbeddingRecord {
        if (landmarks.length != 10) {
            throw new IllegalArgumentException("expected 5 landmarks (10 values), got " + landmarks.length);
        }
    }
}
