package org.arcstream.ingest.publish;

import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when told to or when someone sleeps on it; records every sleep. */
final class FakeTicker implements Ticker {

    private long now;
    final List<Long> sleeps = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void sleepNanos(long nanos) {
        sleeps.add(nanos);
        now += nanos;
    }

    synchronized void advanceMillis(long millis) {
        now += millis * 1_000_000;
    }

    synchronized long sleptMillis() {
        return sleeps.stream().mapToLong(Long::longValue).sum() / 1_000_000;
    }
}
