package org.arcstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.core.cli.ConsoleCapture;
import org.arcstream.trainer.cli.FineTuneExperimentCommand;
import org.arcstream.trainer.cli.TrainBenchmarkCommand;
import org.arcstream.trainer.cli.TrainCommand;
import org.arcstream.trainer.experiment.ExperimentCommand;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --help} on every entry point of the module, parsed as its {@code main} parses it: the usage on
 * stdout, nothing on stderr, exit code 0, even where required options are missing; nothing is trained
 * and no service starts.
 */
class CommandHelpTest {

    private static Arguments entry(String name, ToIntFunction<String[]> main, String usage) {
        return Arguments.of(Named.of(name, main), usage);
    }

    static Stream<Arguments> entryPoints() {
        return Stream.of(
                entry("train", args -> CommandLines.run(new TrainCommand(), args), "Usage: arcstream train"),
                entry("finetune-experiment", args -> CommandLines.run(new FineTuneExperimentCommand(), args),
                        "Usage: arcstream finetune-experiment"),
                entry("train-benchmark", args -> CommandLines.run(new TrainBenchmarkCommand(), args), "Usage: arcstream train-benchmark"),
                entry("experiment", args -> CommandLines.run(new ExperimentCommand(), args), "Usage: arcstream experiment"),
                // the service: 0 and nothing started when the arguments ask for help
                entry("trainer", args -> TrainerApplication.arguments(args, System.out).isEmpty() ? 0 : -1, "Usage: arcstream trainer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entryPoints")
    void helpPrintsTheUsageOnStdoutAndNothingElse(ToIntFunction<String[]> main, String usage) {
        ConsoleCapture.assertHelpPrintsUsageOnly(main, usage, "--help");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entryPoints")
    void aGalleryThatDoesNotExistIsAUsageErrorInOneLine(ToIntFunction<String[]> main, String usage) {
        if (!java.util.List.of("Usage: arcstream train", "Usage: arcstream finetune-experiment", "Usage: arcstream train-benchmark").contains(usage)) {
            return; // experiment and the service take no gallery option
        }
        ConsoleCapture.Run r = ConsoleCapture.run(main, "--gallery", "/no/such/gallery");
        String printed = r.err();
        assertEquals(CommandLines.USAGE, r.exit(), printed);
        assertEquals(1, printed.lines().count(), printed);
        assertTrue(printed.contains("--gallery: folder not found: /no/such/gallery"), printed);
    }
}
