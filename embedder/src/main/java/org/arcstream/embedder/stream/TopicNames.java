package org.arcstream.embedder.stream;

import java.util.List;

/**
 * Names of the topics the embedder reads and writes (see docs/topics.md). The default names are the constants
 * below, used by {@link #defaults()} and by the service's {@code embedder.topics.*} keys alike.
 */
public record TopicNames(String frames, String faces, String matches, String deadLetter, String enrollment, String centroids,
        String recognitions) {

    public static final String FRAMES = "frames";
    public static final String FACES = "faces";
    public static final String MATCHES = "matches";
    public static final String DEAD_LETTER = "dead-letter";
    public static final String ENROLLMENT = "enrollment";
    public static final String CENTROIDS = "centroids";
    public static final String RECOGNITIONS = "recognitions";

    public TopicNames {
        for (String name : List.of(frames, faces, matches, deadLetter, enrollment, centroids, recognitions)) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("topic names must not be empty");
            }
        }
    }

    /** These topics with the default name of the recognitions topic. */
    public TopicNames(String frames, String faces, String matches, String deadLetter, String enrollment, String centroids) {
        this(frames, faces, matches, deadLetter, enrollment, centroids, RECOGNITIONS);
    }

    public static TopicNames defaults() {
        return new TopicNames(FRAMES, FACES, MATCHES, DEAD_LETTER, ENROLLMENT, CENTROIDS, RECOGNITIONS);
    }

    public TopicNames withRecognitions(String value) {
        return new TopicNames(frames, faces, matches, deadLetter, enrollment, centroids, value);
    }

    public List<String> all() {
        return List.of(frames, faces, matches, deadLetter, enrollment, centroids, recognitions);
    }
}
