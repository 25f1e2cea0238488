package org.arcstream.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.arcstream.core.TestData;
import org.arcstream.core.cli.ConsoleCapture.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --flip} and {@code --shift} reach the pipeline a command runs, and a bad shift is refused by name. */
class TestTimeAugmentationOptionsTest {

    @Test
    void flipAndShiftReachTheEvaluation(@TempDir Path dir) throws Exception {
        Path pairs = pairs(dir);
        Run plain = ConsoleCapture.run(ArcstreamCli::run, "eval", "--pairs", pairs.toString(), "--json");
        Run augmented = ConsoleCapture.run(ArcstreamCli::run, "eval", "--pairs", pairs.toString(), "--flip", "--shift", "2", "--json");

        assertEquals(0, plain.exit(), plain.err());
        assertEquals(0, augmented.exit(), augmented.err());
        JsonNode before = new ObjectMapper().readTree(plain.out()), after = new ObjectMapper().readTree(augmented.out());
        assertEquals(false, before.get("flip").asBoolean());
        assertEquals(0, before.get("shift").asInt());
        assertEquals(true, after.get("flip").asBoolean());
        assertEquals(2, after.get("shift").asInt());
        // the views changed the scores, not only the report
        assertNotEquals(before.get("best_threshold").asDouble(), after.get("best_threshold").asDouble());
    }

    @Test
    void aNegativeShiftIsRefusedByItsSettingName(@TempDir Path dir) throws Exception {
        Run run = ConsoleCapture.run(ArcstreamCli::run, "eval", "--pairs", pairs(dir).toString(), "--shift", "-1", "--json");
        assertNotEquals(0, run.exit());
        assertTrue(run.err().contains("embedding.shift must be 0 (off) or a positive number of pixels, got -1"), run.err());
        assertEquals("", run.out());
    }

    private static Path pairs(Path dir) throws Exception {
        StringBuilder csv = new StringBuilder();
        for (int n = 1; n <= 2; n++) {
            Files.copy(TestData.lfwImage("Tony_Blair", n), dir.resolve("blair" + n + ".jpg"));
            Files.copy(TestData.lfwImage("Hugo_Chavez", n), dir.resolve("chavez" + n + ".jpg"));
        }
        csv.append("blair1.jpg,blair2.jpg,Yes\nchavez1.jpg,chavez2.jpg,Yes\nblair1.jpg,chavez1.jpg,No\nblair2.jpg,chavez2.jpg,No\n");
        Path pairs = dir.resolve("pairs.csv");
        Files.writeString(pairs, csv);
        return pairs;
    }
}
