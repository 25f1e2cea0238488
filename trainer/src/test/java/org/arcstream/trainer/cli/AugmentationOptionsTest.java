package org.arcstream.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.trainer.SharedData;
import org.arcstream.trainer.augment.TrainingAugmentation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The --augment-* options of train and finetune-experiment: parsed into the settings, defaults from one place, bad values refused. */
class AugmentationOptionsTest {

    @TempDir
    Path tmp;

    @Test
    void optionsBecomeTheSettingsAndOmittedOnesKeepTheDefaults() {
        TrainCommand train = new TrainCommand();
        CommandLine cli = CommandLines.create(train);
        cli.parseArgs("--gallery", "g", "--augment-crop", "0.1", "--augment-jitter", "0.2", "--augment-grayscale", "0.5",
                "--augment-blur", "1.5", "--augment-noise", "8", "--augment-jpeg", "0.3");
        assertEquals(new TrainingAugmentation(0.1, 0.2, 0.5, 1.5, 8, 0.3), train.augmentation.settings(cli.getCommandSpec()));

        FineTuneExperimentCommand experiment = new FineTuneExperimentCommand();
        CommandLine other = CommandLines.create(experiment);
        other.parseArgs("--gallery", "g", "--augment-noise", "4");
        TrainingAugmentation defaults = TrainingAugmentation.defaults();
        assertEquals(new TrainingAugmentation(defaults.crop(), defaults.jitter(), defaults.grayscale(), defaults.blur(), 4, defaults.jpeg()),
                experiment.augmentation.settings(other.getCommandSpec()));
        other.parseArgs("--gallery", "g");
        assertEquals(defaults, experiment.augmentation.settings(other.getCommandSpec()));
        assertEquals(org.arcstream.trainer.domainshift.DomainShiftExperiment.TRAIN_ON_CLEAN_ORIGINALS, experiment.trainOnCleanOriginals);
        other.parseArgs("--gallery", "g", "--no-train-clean-originals");
        assertEquals(false, experiment.trainOnCleanOriginals);
        other.parseArgs("--gallery", "g", "--train-clean-originals");
        assertEquals(true, experiment.trainOnCleanOriginals);
    }

    @Test
    void aValueOutOfRangeIsAUsageErrorNamingTheOperation() {
        for (Callable<Integer> command : java.util.List.<Callable<Integer>>of(new TrainCommand(), new FineTuneExperimentCommand())) {
            StringWriter err = new StringWriter();
            CommandLine cli = CommandLines.create(command);
            cli.setOut(new PrintWriter(new StringWriter()));
            cli.setErr(new PrintWriter(err));
            int code = cli.execute("--gallery", SharedData.lfw10().toString(), "--out", tmp.toString(), "--augment-grayscale", "1.5");
            assertEquals(CommandLines.USAGE, code, err.toString());
            assertTrue(err.toString().contains("grayscale probability must lie in [0, 1], got 1.5"), err.toString());
        }
    }
}
