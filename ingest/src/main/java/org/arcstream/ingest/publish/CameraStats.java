package org.arcstream.ingest.publish;

/**
 * What a camera's publisher did so far. Every item the source offered is counted once: as read (and then
 * sent, dropped, oversized, failed or still pending) or as unreadable.
 *
 * @param read frames taken from the source
 * @param sent frames acknowledged by Kafka
 * @param dropped frames left out: live frames above the frame rate or pushed out of a full queue, and a
 *     file frame read just when the publisher was stopped
 * @param oversized frames larger than the frame size limit, not sent
 * @param failed frames Kafka did not accept (the reason is logged)
 * @param unreadable items the source passed over because they were no frame it could read (a file that is
 *     not an image in a supported format or cannot be read; the source logs each one); not counted in {@code read}
 */
public record CameraStats(String camera, long read, long sent, long dropped, long oversized, long failed, long unreadable) {

    /** Counts of a source that has no unreadable items. */
    public CameraStats(String camera, long read, long sent, long dropped, long oversized, long failed) {
        this(camera, read, sent, dropped, oversized, failed, 0);
    }

    /** Frames read but neither sent nor left out yet: in the queue or in flight. */
    public long pending() {
        return read - sent - dropped - oversized - failed;
    }

    /** Items the source offered: frames read and unreadable items. */
    public long offered() {
        return read + unreadable;
    }
}
