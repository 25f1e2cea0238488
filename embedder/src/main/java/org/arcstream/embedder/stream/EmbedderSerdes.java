package org.arcstream.embedder.stream;

import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.arcstream.core.topics.FaceEmbeddingCodec;
import org.arcstream.core.topics.FaceEmbeddingRecord;
import org.arcstream.core.topics.MatchCodec;
import org.arcstream.core.topics.MatchRecord;

/**
 * Typed serdes of the embedder's stream over the record codecs: between two processors of a task a
 * value travels as its record, and becomes bytes only at a sink (in the topic's own format, which other
 * services read) or in a state store. A null value (a tombstone, a deleted store entry) stays null.
 */
final class EmbedderSerdes {

    private EmbedderSerdes() {}

    /** The {@code faces} topic's binary format. */
    static Serde<FaceEmbeddingRecord> faceEmbeddings() {
        return of(FaceEmbeddingCodec::encode, FaceEmbeddingCodec::decode);
    }

    /** The {@code matches} topic's JSON. */
    static Serde<MatchRecord> matches() {
        return of(MatchCodec::encode, MatchCodec::decode);
    }

    /** The pending-faces store's (and its changelog's) binary format. */
    static Serde<PendingFace> pendingFaces() {
        return of(PendingFace::encode, PendingFace::decode);
    }

    private static <T> Serde<T> of(Function<T, byte[]> encode, Function<byte[], T> decode) {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : encode.apply(value),
                (topic, data) -> data == null ? null : decode.apply(data));
    }
}
