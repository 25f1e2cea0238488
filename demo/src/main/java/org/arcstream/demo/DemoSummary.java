package org.arcstream.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * What a demo run saw: every frame the source offered, sent or dropped and why, what became of the frames
 * sent, their faces, who was recognized, and how fast. {@code frames + dropped.total() == offered}, and
 * {@code framesMatched + framesDeadLettered + framesWithoutVerdict == frames}.
 *
 * @param frames frames sent: acknowledged by Kafka
 * @param deadLettered dead-letter records of this run's frames and faces
 * @param framesPerSecond frames with a verdict over the time from the first frame sent to the last verdict
 * @param sustainedFramesPerSecond the same rate after the first tenth of the verdicts (start-up left out)
 * @param offered frames the source offered: images (and camera parts, video frames) read or found unreadable;
 *     images that were enrolled are not offered
 * @param dropped the frames offered but not sent, by reason
 * @param framesMatched frames sent with at least one match
 * @param framesDeadLettered frames sent that went to the dead-letter topic (no face, not decodable) without a match
 * @param framesWithoutVerdict frames sent with neither a match nor a dead letter when the run ended (timed out)
 * @param security how the services reached the broker, and the forbidden writes tried and refused
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
        double latencyP99Millis,
        int offered,
        Dropped dropped,
        int framesMatched,
        int framesDeadLettered,
        int framesWithoutVerdict,
        Security security) {

    /**
     * @param protocol the clients' {@code security.protocol}: PLAINTEXT, SASL_SSL or SSL (mutual TLS)
     * @param probes writes tried that the ACLs forbid (none on a plaintext broker, which has no ACLs)
     * @param refusals those of them the broker refused
     */
    public record Security(String protocol, int probes, int refusals) {}

    /**
     * Frames offered but not sent, by reason (each one is also logged as a warning, naming its file).
     *
     * @param unreadable files (or camera parts) that are not an image in a supported format, or cannot be read
     * @param tooLarge frames larger than {@code maxFrameBytes}
     * @param rejected frames Kafka did not accept (the warning gives Kafka's error)
     * @param leftOut frames the publisher left out: a live source above the offered rate or with a full queue,
     *     or frames read as the run ended (timeout, frame limit)
     * @param maxFrameBytes the frame size limit of the run
     * @param brokerLimit true when that limit is what the broker's frames topic accepts, false when it is a lower
     *     {@code --max-frame-bytes}
     */
    public record Dropped(int unreadable, int tooLarge, int rejected, int leftOut, int maxFrameBytes, boolean brokerLimit) {

        public int total() {
            return unreadable + tooLarge + rejected + leftOut;
        }

        /** One phrase per reason that dropped a frame, e.g. {@code 1 unreadable (not an image in a supported format, or cannot be read)}. */
        public List<String> reasons() {
            List<String> reasons = new ArrayList<>();
            if (unreadable > 0) {
                reasons.add(unreadable + " unreadable (not an image in a supported format, or cannot be read)");
            }
            if (tooLarge > 0) {
                reasons.add(tooLarge + (brokerLimit ? " larger than the broker accepts (" + maxFrameBytes + " bytes)"
                        : " larger than max-frame-bytes " + maxFrameBytes));
            }
            if (rejected > 0) {
                reasons.add(rejected + " not accepted by Kafka");
            }
            if (leftOut > 0) {
                reasons.add(leftOut + " left out (over the offered rate, or read as the run ended)");
            }
            return reasons;
        }
    }
}
