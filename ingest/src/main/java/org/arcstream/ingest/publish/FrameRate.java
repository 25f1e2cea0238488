package org.arcstream.ingest.publish;

/**
 * A camera's target frame rate. Files are paced: each frame waits for its slot. Live streams cannot
 * wait, so a frame arriving before its slot is refused. A source that falls behind starts a new
 * schedule where it is instead of catching up in a burst. A rate of 0 or less means no limit.
 */
final class FrameRate {

    private final Ticker ticker;
    private final long periodNanos;
    private boolean started;
    private long due;

    FrameRate(double framesPerSecond, Ticker ticker) {
        if (Double.isNaN(framesPerSecond) || Double.isInfinite(framesPerSecond)) {
            throw new IllegalArgumentException("frame rate must be a finite number, got " + framesPerSecond);
        }
        this.ticker = ticker;
        this.periodNanos = framesPerSecond > 0 ? Math.round(1e9 / framesPerSecond) : 0;
    }

    /** Waits until the next frame of a file source is due. */
    void awaitSlot() throws InterruptedException {
        if (periodNanos == 0) {
            return;
        }
        long now = ticker.nanoTime();
        if (!started) {
            started = true;
            due = now;
        }
        if (due > now) {
            ticker.sleepNanos(due - now);
        } else if (now - due > periodNanos) {
            due = now;
        }
        due += periodNanos;
    }

    /** Whether a live frame arriving now fits the rate; true takes the slot. */
    boolean admit() {
        if (periodNanos == 0) {
            return true;
        }
        long now = ticker.nanoTime();
        if (!started) {
            started = true;
            due = now;
        }
        if (now < due) {
            return false;
        }
        due = now - due >= periodNanos ? now + periodNanos : due + periodNanos;
        return true;
    }
}
