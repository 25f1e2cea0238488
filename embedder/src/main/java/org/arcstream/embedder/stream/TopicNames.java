package org.arcstream.embedder.stream;

import java.util.List;

/** Names of the topics the embedder reads and writes (see docs/topics.md). */
public record TopicNames(String frames, String faces, String matches, String deadLetter, String enrollment, String centroids) {

    public TopicNames {
        for (String name : List.of(frames, faces, matches, deadLetter, enrollment, centroids)) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("topic names must not be empty");
            }
        }
    }

    public static TopicNames defaults() {
        return new TopicNames("frames", "faces", "matches", "dead-letter", "enrollment", "centroids");
    }

    public List<String> all() {
        return List.of(frames, faces, matches, deadLetter, enrollment, centroids);
    }
}
