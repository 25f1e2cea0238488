package org.arcstream.embedder.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.arcstream.embedder.stream.LearningSettings;

/**
 * Learning from production (keys {@code embedder.learning.*}): which confident recognitions go to the
 * recognitions topic as training samples. Privacy rules in docs/topics.md, "recognitions".
 *
 * @param enabled off by default: keeping production faces is the operator's decision
 * @param minScore the lowest cosine score kept
 * @param minMargin the smallest lead of the score over the runner-up's
 * @param perPersonCamera most samples kept per person and camera (the newest)
 * @param minInterval least capture time between two samples of one person on one camera
 */
@Context
@ConfigurationProperties("embedder.learning")
public record LearningProperties(
        @Bindable(defaultValue = "false") boolean enabled,
        @DecimalMin("-1") @DecimalMax("1") @Bindable(defaultValue = LearningSettings.MIN_SCORE) float minScore,
        @DecimalMin("0") @DecimalMax("2") @Bindable(defaultValue = LearningSettings.MIN_MARGIN) float minMargin,
        @Min(1) @Max(LearningSettings.MAX_PER_PERSON_CAMERA) @Bindable(defaultValue = "" + LearningSettings.PER_PERSON_CAMERA)
        int perPersonCamera,
        @DurationMin("0s") @Bindable(defaultValue = LearningSettings.MIN_INTERVAL_SECONDS + "s") Duration minInterval) {

    public LearningSettings settings() {
        return new LearningSettings(enabled, minScore, minMargin, perPersonCamera, minInterval);
    }
}
