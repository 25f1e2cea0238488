package org.arcstream.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.arcstream.core.cli.CommandLines;
import org.arcstream.trainer.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The experiment's mechanics on a small subset: two galleries of 4 LFW people x 4 images each, one epoch, two
 * seeds. No accuracy is asserted (that needs the full run, see the README); the populations, their sizes, the
 * medians and the charts are.
 */
class FineTuneExperimentCommandTest {

    @TempDir
    static Path data;

    private static Path first, second;

    @TempDir
    Path out;

    @BeforeAll
    static void galleries() throws IOException {
        List<Path> people;
        try (Stream<Path> s = Files.list(SharedData.lfw10())) {
            people = s.filter(Files::isDirectory).sorted().limit(8).toList();
        }
        first = copy(people.subList(0, 4), data.resolve("first"));
        second = copy(people.subList(4, 8), data.resolve("second"));
    }

    private static Path copy(List<Path> people, Path target) throws IOException {
        for (Path person : people) {
            Path dir = Files.createDirectories(target.resolve(person.getFileName().toString()));
            try (Stream<Path> s = Files.list(person)) {
                for (Path image : s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(4).toList()) {
                    Files.copy(image, dir.resolve(image.getFileName().toString()));
                }
            }
        }
        return target;
    }

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = CommandLines.create(new FineTuneExperimentCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void pooledGalleriesGiveEveryPopulationBeforeAfterAndBaselinePerSeed() throws IOException {
        // 8 people: 2 unseen (0.25), 6 enrolled with 1 held-out image each, 18 training images
        Run run = run("--gallery", first.toString(), "--gallery", second.toString(), "--epochs", "1", "--batch-size", "6",
                "--heldout-fraction", "0.25", "--heldout-images", "1", "--seed", "5", "--seeds", "2", "--out", out.toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());

        assertEquals(List.of(5L, 6L), List.of(json.path("seeds").path(0).asLong(), json.path("seeds").path(1).asLong()));
        int[] images = {6, 8, 6, 14};
        for (int p = 0; p < 4; p++) {
            String population = List.of("enrolled", "unseen", "other_camera", "clean").get(p);
            JsonNode figures = json.path(population);
            for (String model : List.of("before", "after", "mean_embedding_baseline")) {
                for (String field : List.of("tar_at_far_1pct", "auc")) {
                    double value = figures.path(model).path(field).asDouble(Double.NaN);
                    assertTrue(value >= 0 && value <= 1, population + "." + model + "." + field + " = " + value);
                }
                // the median of two seeds is their mean
                double seed5 = figures.path("per_seed").path(0).path(model).path("tar_at_far_1pct").asDouble();
                double seed6 = figures.path("per_seed").path(1).path(model).path("tar_at_far_1pct").asDouble();
                assertEquals((seed5 + seed6) / 2, figures.path(model).path("tar_at_far_1pct").asDouble(), 1e-12, population + "." + model);
            }
            assertEquals(2, figures.path("per_seed").size());
            assertEquals(images[p], figures.path("per_seed").path(0).path("before").path("images").asInt(), population + " images");
            assertTrue(figures.path("per_seed").path(0).path("before").path("same_pairs").asInt() > 0, population + " has same-person pairs");
            assertTrue(Files.isRegularFile(out.resolve("seed-5").resolve("roc-" + population.replace('_', '-') + ".png")));
            assertNotNull(ImageIO.read(out.resolve("roc-" + population.replace('_', '-') + ".png").toFile()), population + " chart");
        }
        // no camera correction applies to clean images: the baseline there is the current model itself
        assertEquals(json.path("clean").path("before").toString(), json.path("clean").path("mean_embedding_baseline").toString());
        JsonNode counts = json.path("runs").path(0).path("data_counts");
        assertEquals(18, counts.path("train_images").asInt());
        assertEquals(6, counts.path("train_identities").asInt());
        assertEquals(2, counts.path("heldout_identities").asInt());
        assertTrue(json.path("runs").path(0).path("gate").asText().matches("accepted|rejected"));
        assertTrue(json.path("cameras").path("trained").asText().startsWith("grayscale"));
        assertTrue(json.path("cameras").path("other").asText().startsWith("colour"));
        assertTrue(Files.isRegularFile(out.resolve("report.json")));
    }

    @Test
    void twoGalleriesOfTheSameNameAreAUsageError(@TempDir Path other) throws IOException {
        Path clash = Files.createDirectories(other.resolve("first"));
        Run run = run("--gallery", first.toString(), "--gallery", clash.toString(), "--out", out.toString());
        assertEquals(CommandLines.USAGE, run.exitCode());
        assertTrue(run.err().contains("two --gallery folders are named first"), run.err());
    }
}
