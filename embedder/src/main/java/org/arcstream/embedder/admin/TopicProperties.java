package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import org.arcstream.embedder.stream.TopicNames;

/** Names of the topics the embedder reads and writes (keys {@code embedder.topics.*}, see docs/topics.md). */
@ConfigurationProperties("embedder.topics")
public record TopicProperties(
        @Bindable(defaultValue = "frames") String frames,
        @Bindable(defaultValue = "faces") String faces,
        @Bindable(defaultValue = "matches") String matches,
        @Bindable(defaultValue = "dead-letter") String deadLetter,
        @Bindable(defaultValue = "enrollment") String enrollment,
        @Bindable(defaultValue = "centroids") String centroids) {

    public TopicNames names() {
        return new TopicNames(frames, faces, matches, deadLetter, enrollment, centroids);
    }
}
