package org.arcstream.trainer.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import org.arcstream.trainer.data.SampleRules;

/**
 * Learning from production (keys under {@code trainer.learning}); see {@link SampleRules}, whose constants are the
 * defaults. Used when the data come from the topics, except {@code min-samples}, which a gallery folder obeys too.
 *
 * @param recognitions train on the embedder's confident recognitions too. On by default: whether production faces are
 *     kept at all is decided at the embedder ({@code embedder.learning.enabled}, off by default), and while it keeps none
 *     the topic is empty; false trains on enrollment samples only even when the embedders keep recognitions
 * @param recognitionsTopic the embedder's confident recognitions, by person, camera and slot
 * @param labelsTopic the operators' labels from the console: a recognition marked wrong is not trained on as that person;
 *     empty = labels are not read
 * @param perPersonCamera most recognitions of one person from one camera in a run (the newest), so that a busy camera does
 *     not outweigh the others and the enrollment photos
 * @param minSamples a person with fewer samples (enrollment samples and recognitions together) is left out of the run
 */
@Context
@ConfigurationProperties("trainer.learning")
public record LearningConfig(
        @Bindable(defaultValue = "true") boolean recognitions,
        @Bindable(defaultValue = SampleRules.RECOGNITIONS_TOPIC) String recognitionsTopic,
        @Bindable(defaultValue = SampleRules.LABELS_TOPIC) String labelsTopic,
        @Min(1) @Bindable(defaultValue = "" + SampleRules.PER_PERSON_CAMERA) int perPersonCamera,
        @Min(1) @Bindable(defaultValue = "" + SampleRules.MIN_SAMPLES) int minSamples) {

    public SampleRules toRules() {
        return new SampleRules(recognitions ? recognitionsTopic : null, labelsTopic, perPersonCamera, minSamples);
    }
}
