package org.arcstream.ingest.publish;

/**
 * A frame Kafka acknowledged: which camera and sequence number it went out as, where it came from,
 * and where it landed.
 */
public record SentFrame(String camera, long sequence, String origin, long captureTimeMillis, int partition, long offset) {

    /** Receives every acknowledged frame, on the Kafka producer's I/O thread: keep it quick. */
    @FunctionalInterface
    public interface Listener {
        void onSent(SentFrame frame);

        static Listener none() {
            return frame -> { };
        }
    }
}
