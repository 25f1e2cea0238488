package org.arcstream.embedder.admin;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of uploaded images that enrollment requests may hold at once, across all requests: the server
 * receives every request, but holds no more image data than this in memory whatever the number of callers.
 * An image that does not fit is refused at once with a 503 (retry later); the request keeps nothing.
 * A request that declares its length reserves it (up to the whole budget) before it reads a byte, so that
 * concurrent large requests are admitted one after the other instead of each getting part-way and all failing.
 */
final class UploadBudget {

    private final long capacity;
    private final AtomicLong held = new AtomicLong();

    UploadBudget(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the upload budget must be at least 1 byte, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * What one request holds; closed when the request ends, whatever its outcome.
     *
     * @param declaredBytes the request's {@code Content-Length}, or a negative number when it declares none (chunked)
     */
    Lease lease(long declaredBytes) {
        Lease lease = new Lease();
        if (declaredBytes > 0) {
            long upFront = Math.min(declaredBytes, capacity);
            lease.reserveMore(upFront);
            lease.prepaid.set(upFront);
        }
        return lease;
    }

    long held() {
        return held.get();
    }

    final class Lease implements AutoCloseable {
        private final AtomicLong mine = new AtomicLong();
        private final AtomicLong prepaid = new AtomicLong();

        /** Reserves {@code bytes} for this request, first from what it reserved up front, or throws the 503 that refuses it. */
        void reserve(long bytes) {
            long fromPrepaid = Math.min(bytes, prepaid.get());
            prepaid.addAndGet(-fromPrepaid);
            reserveMore(bytes - fromPrepaid);
        }

        private void reserveMore(long bytes) {
            if (bytes == 0) {
                return;
            }
            long now = held.addAndGet(bytes);
            if (now > capacity && now != bytes) { // one image alone may use it all: it passed the size limits already
                held.addAndGet(-bytes);
                throw new HttpStatusException(HttpStatus.SERVICE_UNAVAILABLE, "enrollment uploads of other requests hold "
                        + (now - bytes) + " of " + capacity + " bytes (embedder.admin.enrollment-upload-budget); retry later");
            }
            mine.addAndGet(bytes);
        }

        @Override
        public void close() {
            held.addAndGet(-mine.getAndSet(0));
        }
    }
}
