package org.arcstream.embedder.stream;

import org.arcstream.embedder.gallery.GalleryService;

/** A running embedder (its Kafka Streams application and gallery) as the service layer sees it. */
public interface EmbedderRuntime extends AutoCloseable {

    GalleryService gallery();

    /** True while the stream is running, its gallery state is restored and the Kafka cluster answers. */
    boolean ready();

    /** False once the stream has stopped for good and only a restart of the instance helps. */
    boolean alive();

    /** Whether the Kafka cluster answers. */
    boolean brokerReachable();

    /** The Kafka Streams state, for health details. */
    String state();

    @Override
    void close();
}
