package org.arcstream.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.arcstream.core.TestData;
import org.arcstream.core.files.ImageFolders;
import org.junit.jupiter.api.Test;

/**
 * A command line naming many images, as a shell glob gives it. ONNX Runtime's session set-up on the main
 * thread needs more stack than the JVM's default 1 MiB once the command line is long, and overflows it
 * natively (a segmentation fault, no Java error); the launcher's JVM options must give it room.
 */
class LongCommandLineTest {

    @Test
    void embedTakesAHundredAndFiftyImagePathsWithTheLaunchersJvmOptions() throws Exception {
        List<Path> images = ImageFolders.imagesUnder(TestData.lfw10());
        List<String> args = new ArrayList<>(List.of("embed"));
        for (int i = 0; i < 150; i++) {
            args.add(images.get(i % images.size()).toAbsolutePath().toString());
        }

        CliProcess run = CliProcess.run(args.toArray(String[]::new));

        assertEquals(0, run.exitCode(), () -> "exit " + run.exitCode() + "; stderr: " + run.stderr());
        assertEquals(150, run.lines().stream().filter(l -> l.contains("\"face\":0,")).count());
    }
}
