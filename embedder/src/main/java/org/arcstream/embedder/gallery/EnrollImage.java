package org.arcstream.embedder.gallery;

/** One enrollment image as received: where it came from (file or upload name) and its encoded bytes. */
public record EnrollImage(String source, byte[] bytes) {}
