package org.arcstream.trainer.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import org.arcstream.trainer.finetune.FineTuneSettings;

/** Training settings of service runs (keys under {@code trainer.training}); see {@link FineTuneSettings}. */
@ConfigurationProperties("trainer.training")
public record TrainingConfig(
        int epochs,
        int batchSize,
        double learningRate,
        String optimizer,
        double weightDecay,
        int trainLastInitializers,
        double arcScale,
        double arcMarginRadians,
        double heldoutIdentityFraction,
        int heldoutImagesPerIdentity,
        long seed) {

    public FineTuneSettings toSettings() {
        return new FineTuneSettings(epochs, batchSize, learningRate, optimizer, weightDecay, trainLastInitializers,
                arcScale, arcMarginRadians, heldoutIdentityFraction, heldoutImagesPerIdentity, seed);
    }
}
