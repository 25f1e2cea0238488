package org.arcstream.ingest.publish;

/** The publisher's sense of time: a monotonic clock and a way to wait on it; replaceable so that pacing can be tested exactly. */
public interface Ticker {

    long nanoTime();

    void sleepNanos(long nanos) throws InterruptedException;

    /** The JVM's monotonic clock and {@link Thread#sleep}. */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }

    /** The real clock. */
    enum SystemTicker implements Ticker {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            if (nanos > 0) {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        }
    }
}
