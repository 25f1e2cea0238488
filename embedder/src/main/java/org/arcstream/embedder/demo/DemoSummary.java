package org.arcstream.embedder.demo;

/** What a demo run saw: frames and faces, who was recognized, and how fast. */
public record DemoSummary(
        int frames,
        int faces,
        int recognized,
        int unknown,
        int labeled,
        int correct,
        int deadLettered,
        double framesPerSecond,
        double latencyP50Millis,
        double latencyP99Millis) {}
