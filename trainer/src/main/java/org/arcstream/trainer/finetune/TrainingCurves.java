package org.arcstream.trainer.finetune;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Loss and batch accuracy per optimizer step, and their means per epoch. Accuracy is the share of a
 * batch whose nearest class weight (plain cosine, no margin) is its own identity.
 */
public record TrainingCurves(
        @JsonProperty("step_loss") double[] stepLoss,
        @JsonProperty("step_accuracy") double[] stepAccuracy,
        @JsonProperty("epoch_loss") double[] epochLoss,
        @JsonProperty("epoch_accuracy") double[] epochAccuracy,
        @JsonProperty("samples_per_second") double samplesPerSecond) {}
