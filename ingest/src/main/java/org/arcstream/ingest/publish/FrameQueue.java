package org.arcstream.ingest.publish;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-over between a camera's reading thread and its sending thread. A file source
 * waits for room ({@link #put}); a live source, which cannot wait, replaces the oldest waiting frame
 * ({@link #putDroppingOldest}), because the newest picture is the one worth sending.
 */
final class FrameQueue<T> {

    private final ArrayDeque<T> items;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private boolean closed;

    FrameQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.items = new ArrayDeque<>(capacity);
    }

    /** Adds an item, waiting while the queue is full. */
    void put(T item) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (items.size() >= capacity && !closed) {
                notFull.await();
            }
            ensureOpen();
            items.addLast(item);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Adds an item without waiting; when the queue is full, the oldest item makes room and is returned. */
    Optional<T> putDroppingOldest(T item) {
        lock.lock();
        try {
            ensureOpen();
            T dropped = items.size() >= capacity ? items.pollFirst() : null;
            items.addLast(item);
            notEmpty.signal();
            return Optional.ofNullable(dropped);
        } finally {
            lock.unlock();
        }
    }

    /** The oldest item, waiting for one; empty once the queue is closed and drained. */
    Optional<T> take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (items.isEmpty() && !closed) {
                notEmpty.await();
            }
            T item = items.pollFirst();
            if (item != null) {
                notFull.signal();
            }
            return Optional.ofNullable(item);
        } finally {
            lock.unlock();
        }
    }

    /** No more items will come; what is queued can still be taken. */
    void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("queue is closed");
        }
    }
}
