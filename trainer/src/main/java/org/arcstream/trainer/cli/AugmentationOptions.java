package org.arcstream.trainer.cli;

import org.arcstream.trainer.augment.TrainingAugmentation;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The training augmentation options of {@code train} and {@code finetune-experiment}; 0 turns an operation off. */
final class AugmentationOptions {

    @Option(names = "--augment-crop", paramLabel = "FRACTION", defaultValue = "" + TrainingAugmentation.CROP,
            description = "Re-crop each training face: scale by up to 1 +/- FRACTION and shift by up to FRACTION of its size. "
                    + "Default: ${DEFAULT-VALUE}.")
    double crop;

    @Option(names = "--augment-jitter", paramLabel = "FRACTION", defaultValue = "" + TrainingAugmentation.JITTER,
            description = "Colour jitter: brightness, contrast and saturation times up to 1 +/- FRACTION. Default: ${DEFAULT-VALUE}.")
    double jitter;

    @Option(names = "--augment-grayscale", paramLabel = "P", defaultValue = "" + TrainingAugmentation.GRAYSCALE,
            description = "Probability that a training face is turned grey. Default: ${DEFAULT-VALUE}.")
    double grayscale;

    @Option(names = "--augment-blur", paramLabel = "SIGMA", defaultValue = "" + TrainingAugmentation.BLUR,
            description = "Gaussian blur with a sigma of up to SIGMA pixels. Default: ${DEFAULT-VALUE}.")
    double blur;

    @Option(names = "--augment-noise", paramLabel = "LEVELS", defaultValue = "" + TrainingAugmentation.NOISE,
            description = "Gaussian noise of up to LEVELS grey levels (standard deviation). Default: ${DEFAULT-VALUE}.")
    double noise;

    @Option(names = "--augment-jpeg", paramLabel = "QUALITY", defaultValue = "" + TrainingAugmentation.JPEG,
            description = "JPEG re-encoding at a quality between QUALITY and 1 (0 = none). Default: ${DEFAULT-VALUE}.")
    double jpeg;

    /** The options as settings; a value out of range stops the command with the reason (exit code 2). */
    TrainingAugmentation settings(CommandSpec spec) {
        try {
            return new TrainingAugmentation(crop, jitter, grayscale, blur, noise, jpeg);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
