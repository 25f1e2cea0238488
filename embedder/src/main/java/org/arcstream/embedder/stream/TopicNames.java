package org.arcstream.embedder.stream;

/** Names of the topics the embedder reads and writes (see docs/topics.md). */
public record TopicNames(String frames, String faces, String matches, String deadLetter) {

    public static TopicNames defaults() {
        return new TopicNames("frames", "faces", "matches", "dead-letter");
    }
}
