package org.arcstream.embedder.stream;

import org.arcstream.core.image.RgbImage;
import org.arcstream.core.topics.FaceEmbeddingRecord;

/**
 * What the embedder hands the matcher: the face's embedding record and its aligned crop, which the matcher
 * keeps as a training sample when the match is confident (the faces topic carries no crop).
 */
record EmbeddedFace(FaceEmbeddingRecord embedding, RgbImage aligned) {}
