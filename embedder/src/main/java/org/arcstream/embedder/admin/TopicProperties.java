package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import org.arcstream.embedder.stream.TopicNames;

/**
 * Names of the topics the embedder reads and writes (keys {@code embedder.topics.*}, see docs/topics.md).
 *
 * @param frames camera frames in
 * @param faces face embeddings out
 * @param matches matches out, for applications
 * @param deadLetter records that could not be processed, with their reason
 * @param enrollment enrollment samples; created compacted with one partition when missing
 * @param centroids centroids per identity and model version; created compacted when missing
 * @param recognitions confident recognitions kept as training samples ({@code embedder.learning.*}); created compacted when missing
 */
@Context
@ConfigurationProperties("embedder.topics")
public record TopicProperties(
        @NotBlank @Bindable(defaultValue = TopicNames.FRAMES) String frames,
        @NotBlank @Bindable(defaultValue = TopicNames.FACES) String faces,
        @NotBlank @Bindable(defaultValue = TopicNames.MATCHES) String matches,
        @NotBlank @Bindable(defaultValue = TopicNames.DEAD_LETTER) String deadLetter,
        @NotBlank @Bindable(defaultValue = TopicNames.ENROLLMENT) String enrollment,
        @NotBlank @Bindable(defaultValue = TopicNames.CENTROIDS) String centroids,
        @NotBlank @Bindable(defaultValue = TopicNames.RECOGNITIONS) String recognitions) {

    public TopicNames names() {
        return new TopicNames(frames, faces, matches, deadLetter, enrollment, centroids, recognitions);
    }
}
