package org.arcstream.embedder.admin;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of uploaded images that enrollment requests may hold at once, across all requests: the server
 * receives every request, but holds no more image data than this in memory whatever the number of callers.
 * An image that does not fit is refused at once with a 503 (retry later); the request keeps nothing.
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

    /** What one request holds; closed when the request ends, whatever its outcome. */
    Lease lease() {
        return new Lease();
    }

    long held() {
        return held.get();
    }

    final class Lease implements AutoCloseable {
        private final AtomicLong mine = new AtomicLong();

        /** Reserves {@code bytes} for this request, or throws the 503 that refuses it. */
        void reserve(long bytes) {
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
