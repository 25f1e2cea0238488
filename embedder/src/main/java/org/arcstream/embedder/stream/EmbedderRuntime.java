package org.arcstream.embedder.stream;

import org.arcstream.embedder.gallery.GalleryService;

/** A running embedder (its Kafka Streams application and gallery) as the service layer sees it. */
public interface EmbedderRuntime extends AutoCloseable {

    GalleryService gallery();

    /** True once the stream is running and its gallery state is restored. */
    boolean ready();

    /** The Kafka Streams state, for health details. */
    String state();

    @Override
    void close();
}
