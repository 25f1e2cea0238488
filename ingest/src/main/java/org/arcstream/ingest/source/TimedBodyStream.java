package org.arcstream.ingest.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP response body as an InputStream whose reads give up after a period of silence. The JDK's
 * own body stream has no read timeout, and a camera that stops sending would block its reader for
 * ever. Buffers are requested one at a time, so a fast sender cannot fill memory.
 */
final class TimedBodyStream extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {

    private static final Object END = new Object();

    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final Duration readTimeout;
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> buffers = List.<ByteBuffer>of().iterator();
    private ByteBuffer current;
    private boolean ended;

    TimedBodyStream(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        arrived.add(item);
    }

    @Override
    public void onError(Throwable error) {
        arrived.add(error);
    }

    @Override
    public void onComplete() {
        arrived.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || !current.hasRemaining()) {
            if (buffers.hasNext()) {
                current = buffers.next();
                continue;
            }
            if (ended) {
                return -1;
            }
            awaitBuffers();
        }
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }

    @SuppressWarnings("unchecked")
    private void awaitBuffers() throws IOException {
        Object item;
        try {
            item = arrived.poll(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for data");
        }
        if (item == null) {
            throw new SocketTimeoutException("no data for " + readTimeout.toMillis() + " ms");
        }
        if (item == END) {
            ended = true;
        } else if (item instanceof Throwable t) {
            ended = true;
            throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
        } else {
            buffers = ((List<ByteBuffer>) item).iterator();
            subscription.request(1);
        }
    }

    @Override
    public void close() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        ended = true;
    }
}
