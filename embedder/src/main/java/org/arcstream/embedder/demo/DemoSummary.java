package org.arcstream.embedder.demo;

/**
 * What a demo run saw: frames and faces, who was recognized, and how fast.
 *
 * @param framesPerSecond frames with a verdict over the time from the first frame sent to the last verdict
 * @param sustainedFramesPerSecond the same rate after the first tenth of the verdicts (start-up left out)
 */
public record DemoSummary(
        int frames,
        int faces,
        int recognized,
        int unknown,
        int labeled,
        int correct,
        int deadLettered,
        double framesPerSecond,
        double sustainedFramesPerSecond,
        double latencyP50Millis,
        double latencyP99Millis) {}
