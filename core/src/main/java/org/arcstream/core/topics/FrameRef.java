package org.arcstream.core.topics;

/** Where a frame came from: the camera, its sequence number there, and the frame's place in the frames topic. */
public record FrameRef(String camera, long sequence, int partition, long offset) {}
