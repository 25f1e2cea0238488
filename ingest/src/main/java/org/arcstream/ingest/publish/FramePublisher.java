package org.arcstream.ingest.publish;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.arcstream.core.topics.FrameHeaders;
import org.arcstream.ingest.source.FrameSource;
import org.arcstream.ingest.source.FrameSourceException;
import org.arcstream.ingest.source.SourceFrame;
import org.arcstream.kafka.FrameRecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one camera's frames to the frames topic: key = camera id, value = the encoded image as is,
 * headers {@code camera}, {@code capture-ts}, {@code seq}, {@code content-type} and {@code v=1}.
 * <p>
 * The calling thread reads the source and applies the frame rate and the size limit; a second
 * thread hands frames to the producer. Between them a bounded queue: a file source waits when it is
 * full, a live source pushes out the oldest frame. The sequence number counts every frame read, so
 * a gap tells a consumer that frames were left out here.
 * <p>
 * While Kafka is unreachable, a frame the producer has taken waits in it and goes out once the cluster is
 * back (its delivery timeout is unbounded, {@link FrameProducers}). When the producer cannot take a frame
 * within {@code max.block.ms} (its buffer is full of waiting frames, or it never saw the cluster), a file
 * frame is offered again until it is taken: files lose nothing. A live frame is dropped and counted, and
 * the newer ones go on: the newest picture is the one worth sending. One line is logged when frames start
 * to wait and one when they flow again.
 */
public final class FramePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(FramePublisher.class);

    private record Pending(long sequence, SourceFrame frame) {}

    private final String camera;
    private final Producer<String, byte[]> producer;
    private final PublisherSettings settings;
    private final Ticker ticker;
    private final AtomicLong read = new AtomicLong(), sent = new AtomicLong(), dropped = new AtomicLong(),
            oversized = new AtomicLong(), failed = new AtomicLong(), unreadable = new AtomicLong();
    private volatile boolean stopped;
    private volatile Thread readingThread;
    private volatile boolean live;
    /** When the producer first refused a frame for want of room or of a cluster; 0 while frames flow. */
    private long waitingSinceNanos;
    private long waitingDropped;

    /** The producer is shared and stays open: whoever created it closes it. */
    public FramePublisher(String camera, Producer<String, byte[]> producer, PublisherSettings settings, Ticker ticker) {
        if (camera == null || camera.isBlank()) {
            throw new IllegalArgumentException("camera id is required");
        }
        this.camera = camera;
        this.producer = Objects.requireNonNull(producer, "producer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    public FramePublisher(String camera, Producer<String, byte[]> producer, PublisherSettings settings) {
        this(camera, producer, settings, Ticker.system());
    }

    /**
     * Publishes the source until it ends or {@link #stop()} is called, then waits until Kafka has
     * answered for every frame handed over. It may be called again once it returned: the counts and
     * sequence numbers go on.
     *
     * @return the final counts
     * @throws FrameSourceException when the source fails; frames read before are still sent
     */
    public CameraStats run(FrameSource source, SentFrame.Listener listener) throws FrameSourceException, InterruptedException {
        Objects.requireNonNull(listener, "listener");
        FrameQueue<Pending> queue = new FrameQueue<>(settings.queueCapacity());
        Thread sender = new Thread(() -> sendAll(queue, listener), "ingest-send-" + camera);
        sender.setDaemon(true);
        readingThread = Thread.currentThread();
        sender.start();
        try {
            readAll(source, queue);
        } finally {
            queue.close();
            // the queued frames are few (bounded) and already read: send them rather than lose them
            boolean interrupted = false;
            while (sender.isAlive()) {
                try {
                    sender.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            readingThread = null;
            // stop() interrupts the reader; that interrupt is spent here and must not reach the flush or the caller
            interrupted |= Thread.interrupted();
            producer.flush();
            if (interrupted && !stopped) {
                Thread.currentThread().interrupt();
            }
        }
        return stats();
    }

    private void readAll(FrameSource source, FrameQueue<Pending> queue) throws FrameSourceException, InterruptedException {
        FrameRate rate = new FrameRate(settings.framesPerSecond(), ticker);
        boolean live = source.live();
        this.live = live;
        // the source counts what it passed over since it was opened; a run counts what it passed over during the run
        long unreadableSeen = source.unreadable();
        while (!stopped) {
            if (!live) {
                // a file frame is read when it is due, as a camera takes its picture then: its capture time (the
                // moment it is read) is not the time it waited for its slot
                try {
                    rate.awaitSlot();
                } catch (InterruptedException e) {
                    if (stopped) {
                        break;
                    }
                    throw e;
                }
            }
            Optional<SourceFrame> next;
            try {
                next = source.next();
            } catch (InterruptedException e) {
                if (stopped) {
                    break;
                }
                throw e;
            } finally {
                long now = source.unreadable();
                unreadable.addAndGet(Math.max(0, now - unreadableSeen));
                unreadableSeen = now;
            }
            if (next.isEmpty()) {
                break;
            }
            SourceFrame frame = next.get();
            long sequence = read.getAndIncrement();
            if (live && !rate.admit()) {
                dropped.incrementAndGet();
                continue;
            }
            if (frame.size() > settings.maxFrameBytes()) {
                oversized.incrementAndGet();
                LOG.warn("camera {}: frame {} from {} not sent: {} bytes exceed max-frame-bytes {}",
                        camera, sequence, frame.origin(), frame.size(), settings.maxFrameBytes());
                continue;
            }
            Pending pending = new Pending(sequence, frame);
            if (live) {
                queue.putDroppingOldest(pending).ifPresent(old -> dropped.incrementAndGet());
            } else {
                try {
                    queue.put(pending);
                } catch (InterruptedException e) {
                    // read but stopped before it could be queued: counted, so that every frame read is accounted for
                    dropped.incrementAndGet();
                    if (stopped) {
                        break;
                    }
                    throw e;
                }
            }
        }
    }

    private void sendAll(FrameQueue<Pending> queue, SentFrame.Listener listener) {
        try {
            for (Optional<Pending> next = queue.take(); next.isPresent(); next = queue.take()) {
                send(next.get(), listener);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(Pending pending, SentFrame.Listener listener) {
        SourceFrame frame = pending.frame();
        RecordHeaders headers = new RecordHeaders();
        FrameRecordHeaders.put(headers, FrameHeaders.CAMERA, camera);
        FrameRecordHeaders.put(headers, FrameHeaders.CAPTURE_TIMESTAMP, Long.toString(frame.captureTimeMillis()));
        FrameRecordHeaders.put(headers, FrameHeaders.SEQUENCE, Long.toString(pending.sequence()));
        FrameRecordHeaders.put(headers, FrameHeaders.CONTENT_TYPE, frame.contentType());
        FrameRecordHeaders.put(headers, FrameHeaders.VERSION, "1");
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(settings.topic(), null, camera, frame.data(), headers);
        while (true) {
            try {
                trySend(record, pending, listener);
                flowing();
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (live || stopped) {
                    // a live frame cannot wait for the cluster, and a stopped publisher waits no longer: both are dropped
                    dropped.incrementAndGet();
                    waiting(pending, e, true);
                    return;
                }
                waiting(pending, e, false);
            } catch (KafkaException | IllegalStateException e) {
                // a producer that is closed, or a record it can never send (larger than it may send)
                failed.incrementAndGet();
                LOG.warn("camera {}: frame {} from {} not sent: {}", camera, pending.sequence(), frame.origin(), e.toString());
                return;
            }
        }
    }

    private void waiting(Pending pending, Exception e, boolean droppedIt) {
        if (droppedIt) {
            waitingDropped++;
        }
        if (waitingSinceNanos == 0) {
            waitingSinceNanos = System.nanoTime();
            LOG.warn("camera {}: Kafka does not take frames ({}); {} until it does", camera, e.getMessage(),
                    live ? "live frames are dropped and counted" : "frame " + pending.sequence() + " and the ones after it wait");
        }
    }

    private void flowing() {
        if (waitingSinceNanos != 0) {
            LOG.info("camera {}: Kafka takes frames again after {} s{}", camera, (System.nanoTime() - waitingSinceNanos) / 1_000_000_000L,
                    waitingDropped > 0 ? "; " + waitingDropped + " live frames were dropped meanwhile" : "");
            waitingSinceNanos = 0;
            waitingDropped = 0;
        }
    }

    /**
     * Hands the frame to the producer. A frame it refuses up front (no room, or no cluster, within
     * {@code max.block.ms}) is reported to the callback before {@code send} returns, on this thread: that
     * refusal is thrown here instead, so that the caller can offer the frame again.
     */
    private void trySend(ProducerRecord<String, byte[]> record, Pending pending, SentFrame.Listener listener) {
        SourceFrame frame = pending.frame();
        boolean[] returned = {false};
        org.apache.kafka.common.errors.TimeoutException[] refused = {null};
        producer.send(record, (metadata, error) -> {
            if (error instanceof org.apache.kafka.common.errors.TimeoutException timeout && !returned[0]) {
                refused[0] = timeout;
                return;
            }
            if (error != null) {
                failed.incrementAndGet();
                LOG.warn("camera {}: frame {} from {} not sent: {}", camera, pending.sequence(), frame.origin(), error.toString());
                return;
            }
            sent.incrementAndGet();
            try {
                listener.onSent(new SentFrame(camera, pending.sequence(), frame.origin(), frame.captureTimeMillis(),
                        metadata.partition(), metadata.offset()));
            } catch (RuntimeException e) {
                LOG.warn("camera {}: listener failed on frame {}: {}", camera, pending.sequence(), e.toString());
            }
        });
        returned[0] = true;
        if (refused[0] != null) {
            throw refused[0];
        }
    }

    /** Ends {@link #run} after the frame being read; frames already queued are still sent. */
    public void stop() {
        stopped = true;
        Thread reader = readingThread;
        if (reader != null) {
            reader.interrupt();
        }
    }

    public CameraStats stats() {
        return new CameraStats(camera, read.get(), sent.get(), dropped.get(), oversized.get(), failed.get(), unreadable.get());
    }

    public String camera() {
        return camera;
    }
}
