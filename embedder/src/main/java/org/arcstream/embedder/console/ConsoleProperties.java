package org.arcstream.embedder.console;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The operator console (keys {@code embedder.console.*}).
 *
 * @param enabled false: no console pages and no topic reading for them
 * @param recentMatches matches kept for the live view, a person's recent recognitions and the threshold preview
 * @param frameSamples camera frames kept for the camera grid and face crops (the latest of each camera among them)
 * @param frameSampleBytes upper bound of the bytes those frames take
 * @param deadLetters dead letters kept for the settings page
 * @param unknownFaces unknown faces kept for review
 * @param labelsTopic where marked mistakes go as labelled negatives for the trainer (docs/topics.md)
 */
@ConfigurationProperties("embedder.console")
public record ConsoleProperties(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "500") int recentMatches,
        @Bindable(defaultValue = "64") int frameSamples,
        @Bindable(defaultValue = "67108864") long frameSampleBytes,
        @Bindable(defaultValue = "100") int deadLetters,
        @Bindable(defaultValue = "200") int unknownFaces,
        @Bindable(defaultValue = "labels") String labelsTopic) {

    public ConsoleProperties {
        if (recentMatches < 1 || frameSamples < 1 || frameSampleBytes < 1 || deadLetters < 1 || unknownFaces < 1) {
            throw new IllegalArgumentException("embedder.console.recent-matches, frame-samples, frame-sample-bytes, "
                    + "dead-letters and unknown-faces must be at least 1");
        }
    }
}
