package org.arcstream.core.model;

import java.nio.file.Path;

/** Ready-to-use model files: detector, landmarks, and the embedder with a dynamic batch dimension. */
public record FaceModelFiles(Path detector, Path landmarks, Path embedder) {}
