package org.arcstream.ingest.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FrameQueueTest {

    @Test
    void aFullQueueGivesUpItsOldestFrameForANewLiveOne() throws Exception {
        FrameQueue<Integer> queue = new FrameQueue<>(3);
        List<Integer> dropped = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            queue.putDroppingOldest(i).ifPresent(dropped::add);
        }
        assertEquals(List.of(0, 1, 2, 3), dropped);
        assertEquals(3, queue.size());
        queue.close();
        assertEquals(List.of(4, 5, 6), drain(queue));
    }

    @Test
    void aFileSourceWaitsForRoomAndLosesNothing() throws Exception {
        FrameQueue<Integer> queue = new FrameQueue<>(2);
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 50; i++) {
                    queue.put(i);
                }
                queue.close();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        List<Integer> taken = drain(queue);
        producer.get(10, TimeUnit.SECONDS);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add(i);
        }
        assertEquals(expected, taken);
    }

    @Test
    void closingWakesTheTakerAndRefusesMore() throws Exception {
        FrameQueue<Integer> queue = new FrameQueue<>(2);
        CompletableFuture<Optional<Integer>> taker = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        queue.close();
        assertTrue(taker.get(10, TimeUnit.SECONDS).isEmpty());
        assertThrows(IllegalStateException.class, () -> queue.put(1));
        assertThrows(IllegalStateException.class, () -> queue.putDroppingOldest(1));
    }

    private static List<Integer> drain(FrameQueue<Integer> queue) throws InterruptedException {
        List<Integer> out = new ArrayList<>();
        for (Optional<Integer> next = queue.take(); next.isPresent(); next = queue.take()) {
            out.add(next.get());
        }
        return out;
    }
}
