package org.arcstream.ingest.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FrameRateTest {

    @Test
    void instantFileFramesWaitOnePeriodEachAfterTheFirst() throws Exception {
        FakeTicker ticker = new FakeTicker();
        FrameRate rate = new FrameRate(5, ticker);
        for (int i = 0; i < 10; i++) {
            rate.awaitSlot();
        }
        assertEquals(9, ticker.sleeps.size());
        assertTrue(ticker.sleeps.stream().allMatch(s -> s == 200_000_000L));
        assertEquals(1800, ticker.sleptMillis());
    }

    @Test
    void slowReadingOnlyWaitsForTheRestOfThePeriod() throws Exception {
        FakeTicker ticker = new FakeTicker();
        FrameRate rate = new FrameRate(10, ticker);
        rate.awaitSlot();
        ticker.advanceMillis(30);
        rate.awaitSlot();
        assertEquals(List.of(70_000_000L), ticker.sleeps);
    }

    @Test
    void aSourceThatFellBehindDoesNotBurstToCatchUp() throws Exception {
        FakeTicker ticker = new FakeTicker();
        FrameRate rate = new FrameRate(10, ticker);
        rate.awaitSlot();
        ticker.advanceMillis(1000);
        rate.awaitSlot();
        rate.awaitSlot();
        assertEquals(List.of(100_000_000L), ticker.sleeps);
    }

    @Test
    void liveFramesAboveTheRateAreRefused() {
        FakeTicker ticker = new FakeTicker();
        FrameRate rate = new FrameRate(25, ticker);
        int admitted = 0;
        StringBuilder pattern = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            boolean ok = rate.admit();
            pattern.append(ok ? 'x' : '.');
            admitted += ok ? 1 : 0;
            ticker.advanceMillis(10);
        }
        assertEquals(25, admitted);
        assertTrue(pattern.toString().startsWith("x...x...x..."), pattern.toString());
        assertTrue(ticker.sleeps.isEmpty(), "a live source never waits");
    }

    @Test
    void afterAPauseTheNextLiveFrameIsTakenButNotTheOneRightAfter() {
        FakeTicker ticker = new FakeTicker();
        FrameRate rate = new FrameRate(10, ticker);
        assertTrue(rate.admit());
        ticker.advanceMillis(5000);
        assertTrue(rate.admit());
        ticker.advanceMillis(30);
        assertFalse(rate.admit());
        ticker.advanceMillis(70);
        assertTrue(rate.admit());
    }

    @Test
    void zeroMeansNoLimit() throws Exception {
        FakeTicker ticker = new FakeTicker();
        FrameRate rate = new FrameRate(0, ticker);
        for (int i = 0; i < 50; i++) {
            rate.awaitSlot();
            assertTrue(rate.admit());
        }
        assertTrue(ticker.sleeps.isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new FrameRate(Double.NaN, ticker));
    }
}
