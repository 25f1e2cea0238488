package org.arcstream.ingest.publish;

/**
 * What a camera's publisher did so far.
 *
 * @param read frames taken from the source
 * @param sent frames acknowledged by Kafka
 * @param dropped frames left out: live frames above the frame rate or pushed out of a full queue, and a
 *     file frame read just when the publisher was stopped
 * @param oversized frames larger than the frame size limit, not sent
 * @param failed frames Kafka did not accept (the reason is logged)
 */
public record CameraStats(String camera, long read, long sent, long dropped, long oversized, long failed) {

    /** Frames read but neither sent nor left out yet: in the queue or in flight. */
    public long pending() {
        return read - sent - dropped - oversized - failed;
    }
}
