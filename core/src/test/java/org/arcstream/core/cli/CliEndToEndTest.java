package org.arcstream.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcstream.core.TestData;
import org.arcstream.core.image.ImageOps;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.image.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void modelsPresent() {
        // fetch the default models once in this JVM so the child processes find them cached
        TestData.defaultConfig();
    }

    @Test
    void embedPrintsEveryFaceAndOneLinePerBadImageAndGoesOn(@TempDir Path dir) throws Exception {
        Files.copy(TestData.lfwImage("Colin_Powell", 1), dir.resolve("a_good.jpg"));
        Files.copy(TestData.lfwImage("Vladimir_Putin", 7), dir.resolve("b_group.jpg"));
        byte[] grey = new byte[3 * 120 * 120];
        Arrays.fill(grey, (byte) 90);
        Files.write(dir.resolve("c_no_face.png"), ImageOps.encodePng(new RgbImage(120, 120, grey)));
        Files.write(dir.resolve("d_empty.jpg"), new byte[0]);
        byte[] jpeg = Files.readAllBytes(TestData.lfwImage("Tony_Blair", 2));
        Files.write(dir.resolve("e_truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        byte[] noise = new byte[5000];
        new Random(1).nextBytes(noise);
        Files.write(dir.resolve("f_noise.jpg"), noise);
        Files.write(dir.resolve("g_bomb.png"), TestImages.pngWithHeader(50_000, 50_000));
        Files.write(dir.resolve("h_one_pixel.png"), ImageOps.encodePng(new RgbImage(1, 1, new byte[3])));
        // not an extension the old scan looked at: it used to vanish without a word
        Files.write(dir.resolve("i_photo.webp"), noise);
        // clear non-images and hidden files are left out silently
        Files.writeString(dir.resolve("README.md"), "test images");
        Files.writeString(dir.resolve(".DS_Store"), "x");

        CliProcess run = CliProcess.run("embed", dir.toString());

        // some images could not be read: the others are printed, the exit code says so
        assertEquals(1, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("arcstream embed: 6 of 9 image(s) could not be read"), run.stderr());
        Map<String, Integer> faces = new HashMap<>();
        Map<String, String> errors = new HashMap<>();
        for (String line : run.lines()) {
            JsonNode node = JSON.readTree(line);
            String image = Path.of(node.get("image").asText()).getFileName().toString();
            if (node.has("error")) {
                assertFalse(errors.containsKey(image), "two error lines for " + image);
                errors.put(image, node.get("error").asText());
                continue;
            }
            faces.merge(image, 1, Integer::sum);
            assertEquals(512, node.get("embedding").size());
            assertEquals(4, node.get("box").size());
            assertEquals(5, node.get("landmarks").size());
            assertTrue(node.get("score").asDouble() >= 0.65);
            assertEquals(12, node.get("model").asText().length());
            double norm = 0;
            for (JsonNode v : node.get("embedding")) {
                norm += v.asDouble() * v.asDouble();
            }
            assertEquals(1.0, norm, 1e-4);
        }
        assertEquals(1, faces.get("a_good.jpg"));
        assertTrue(faces.get("b_group.jpg") >= 3, faces.toString());
        assertEquals("no face found", errors.get("c_no_face.png"));
        assertTrue(errors.get("d_empty.jpg").contains("empty"), errors.toString());
        assertTrue(errors.get("e_truncated.jpg").contains("truncated"), errors.toString());
        assertTrue(errors.get("f_noise.jpg").contains("not a"), errors.toString());
        assertTrue(errors.get("g_bomb.png").contains("50000x50000"), errors.toString());
        assertTrue(errors.get("h_one_pixel.png").contains("1x1"), errors.toString());
        assertTrue(errors.containsKey("i_photo.webp"), errors.toString());
        assertEquals(7, errors.size(), errors.toString());
        assertFalse(run.stderr().contains("README.md") || run.stderr().contains(".DS_Store"), run.stderr());
        for (String bad : errors.keySet()) {
            assertTrue(run.stderr().contains(bad), "stderr names " + bad);
        }
        assertFalse(run.stderr().contains("OutOfMemoryError"));
    }

    @Test
    void embedOfAPathThatDoesNotExistIsAUsageErrorAndOfUnreadableImagesAFailure(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("empty.png"), new byte[0]);
        Files.writeString(dir.resolve("notes.jpg"), "not a picture");
        CliProcess missing = CliProcess.run("embed", dir.toString(), dir.resolve("missing.jpg").toString());
        assertEquals(2, missing.exitCode());
        assertEquals("", missing.stdout());
        assertTrue(missing.stderr().startsWith("arcstream embed: file or folder not found: " + dir.resolve("missing.jpg")), missing.stderr());
        CliProcess unreadable = CliProcess.run("embed", dir.toString());
        assertEquals(1, unreadable.exitCode());
        assertEquals(2, unreadable.lines().size(), unreadable.stdout());
        assertTrue(unreadable.stderr().contains("2 of 2 image(s) could not be read, none could be processed"), unreadable.stderr());
        assertFalse(unreadable.stderr().contains("\tat "), "no stack trace: " + unreadable.stderr());
    }

    @Test
    void verifyTellsSameFromDifferent() throws Exception {
        CliProcess same = CliProcess.run("verify", "--json",
                TestData.lfwImage("Gerhard_Schroeder", 1).toString(), TestData.lfwImage("Gerhard_Schroeder", 2).toString());
        CliProcess different = CliProcess.run("verify",
                TestData.lfwImage("Gerhard_Schroeder", 1).toString(), TestData.lfwImage("Jacques_Chirac", 1).toString());
        assertEquals(0, same.exitCode(), same.stderr());
        JsonNode result = JSON.readTree(same.stdout());
        assertTrue(result.get("same").asBoolean());
        assertTrue(result.get("cosine").asDouble() >= result.get("threshold").asDouble());
        assertEquals(0, different.exitCode(), different.stderr());
        assertTrue(different.stdout().contains("different people"), different.stdout());
    }

    @Test
    void verifyNamesAnImageWithoutAFace(@TempDir Path dir) throws Exception {
        byte[] grey = new byte[3 * 100 * 100];
        Path blank = dir.resolve("blank.png");
        Files.write(blank, ImageOps.encodePng(new RgbImage(100, 100, grey)));
        CliProcess run = CliProcess.run("verify", TestData.lfwImage("Gerhard_Schroeder", 1).toString(), blank.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.stderr().startsWith("arcstream verify: " + blank + ": no face found"), run.stderr());
        assertEquals(1, run.stderr().lines().count(), run.stderr());
        Path text = dir.resolve("text.jpg");
        Files.writeString(text, "not a picture");
        CliProcess unreadable = CliProcess.run("verify", text.toString(), blank.toString());
        assertEquals(1, unreadable.exitCode());
        assertTrue(unreadable.stderr().startsWith("arcstream verify: " + text + ": "), unreadable.stderr());
        assertEquals(1, unreadable.stderr().lines().count(), unreadable.stderr());
        CliProcess missing = CliProcess.run("verify", dir.resolve("gone.jpg").toString(), blank.toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.stderr().startsWith("arcstream verify: file not found: " + dir.resolve("gone.jpg")), missing.stderr());
    }

    @Test
    void evalOnAGalleryPrintsTheFiguresAsOneJsonObject() throws Exception {
        CliProcess run = CliProcess.run("eval", "--gallery", TestData.lfw10().toString(), "--json");
        assertEquals(0, run.exitCode(), run.stderr());
        JsonNode figures = JSON.readTree(run.lines().get(run.lines().size() - 1));
        for (String key : List.of("images", "faces_missing", "top1_loo", "top1_centroid", "auc",
                "tar_at_far_1e-2", "tar_at_far_1e-3", "best_threshold", "best_accuracy")) {
            assertTrue(figures.has(key), "missing " + key + " in " + figures);
        }
        assertEquals(100, figures.get("images").asInt());
        assertEquals(0, figures.get("faces_missing").asInt());
        assertEquals(0, figures.get("unreadable").asInt());
        assertEquals(0, figures.get("unreadable_files").size());
        assertEquals(1.0, figures.get("top1_loo").asDouble());
        assertEquals(1.0, figures.get("top1_centroid").asDouble());
        assertTrue(figures.get("auc").asDouble() >= 0.9995);
        assertTrue(figures.get("tar_at_far_1e-3").asDouble() >= 0.99);
        double threshold = figures.get("best_threshold").asDouble();
        assertTrue(threshold > 0.2 && threshold < 0.5, "best threshold " + threshold);
    }

    @Test
    void evalOnPairsCountsPairsAndScoresThem(@TempDir Path dir) throws Exception {
        // 4 same and 4 different pairs after a header row, plus a same pair whose first image has no face
        for (int n = 1; n <= 8; n++) {
            Files.copy(TestData.lfwImage("Tony_Blair", n), dir.resolve("blair" + n + ".jpg"));
            Files.copy(TestData.lfwImage("Hugo_Chavez", n), dir.resolve("chavez" + n + ".jpg"));
        }
        Files.write(dir.resolve("blank.png"), ImageOps.encodePng(new RgbImage(100, 100, new byte[3 * 100 * 100])));
        StringBuilder csv = new StringBuilder("first,second,label\n");
        for (int n = 1; n <= 4; n++) {
            csv.append("blair").append(n).append(".jpg,blair").append(n + 4).append(".jpg,Yes\n");
            csv.append("blair").append(n).append(".jpg,chavez").append(n).append(".jpg,0\n");
        }
        Path pairs = dir.resolve("pairs.csv");
        Files.writeString(pairs, csv);

        CliProcess run = CliProcess.run("eval", "--pairs", pairs.toString(), "--threshold", "0.3", "--json");

        assertEquals(0, run.exitCode(), run.stderr());
        JsonNode figures = JSON.readTree(run.stdout());
        assertEquals(8, figures.get("pairs").asInt());
        assertEquals(4, figures.get("positives").asInt());
        assertEquals(4, figures.get("negatives").asInt());
        assertEquals(1.0, figures.get("auc").asDouble());
        assertEquals(1.0, figures.get("best_accuracy").asDouble());
        assertEquals(1.0, figures.get("accuracy_at_threshold").asDouble());
        assertEquals(0.3, figures.get("threshold").asDouble(), 1e-6);

        Files.writeString(pairs, csv + "blank.png,blair1.jpg,Yes\n");
        CliProcess noFace = CliProcess.run("eval", "--pairs", pairs.toString(), "--images", dir.toString(), "--json");
        assertEquals(0, noFace.exitCode(), noFace.stderr());
        JsonNode withMissing = JSON.readTree(noFace.stdout());
        assertEquals(9, withMissing.get("pairs").asInt());
        assertEquals(1, withMissing.get("faces_missing").asInt());
        assertEquals(0, withMissing.get("unreadable").asInt());
        // the unmatched pair counts as a rejected same pair: 8 of 9 right at best
        assertEquals(8.0 / 9, withMissing.get("best_accuracy").asDouble(), 1e-4);

        // an image that cannot be decoded is named, counted apart from the faces not found, and fails the run
        Files.writeString(dir.resolve("broken.jpg"), "not a picture");
        Files.writeString(pairs, csv + "broken.jpg,blair1.jpg,Yes\n");
        CliProcess broken = CliProcess.run("eval", "--pairs", pairs.toString(), "--json");
        assertEquals(1, broken.exitCode(), broken.stderr());
        JsonNode withBroken = JSON.readTree(broken.stdout());
        assertEquals(9, withBroken.get("pairs").asInt());
        assertEquals(0, withBroken.get("faces_missing").asInt());
        assertEquals(1, withBroken.get("unreadable").asInt());
        assertEquals(dir.resolve("broken.jpg").toString(), withBroken.get("unreadable_files").get(0).get("file").asText());
        assertTrue(broken.stderr().contains(dir.resolve("broken.jpg") + ": "), broken.stderr());
    }

    @Test
    void evalOnAGalleryNamesAndCountsTheImagesItCannotRead(@TempDir Path gallery) throws Exception {
        for (String person : List.of("Tony_Blair", "Hugo_Chavez")) {
            Path folder = Files.createDirectories(gallery.resolve(person));
            for (int n = 1; n <= 3; n++) {
                Files.copy(TestData.lfwImage(person, n), folder.resolve(n + ".jpg"));
            }
        }
        Path truncated = gallery.resolve("Tony_Blair").resolve("4.jpg");
        byte[] jpeg = Files.readAllBytes(TestData.lfwImage("Tony_Blair", 4));
        Files.write(truncated, Arrays.copyOf(jpeg, jpeg.length / 2));
        Path webp = gallery.resolve("Hugo_Chavez").resolve("4.webp");
        Files.write(webp, new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'});
        Files.writeString(gallery.resolve("Hugo_Chavez").resolve("README.md"), "who is who");
        Files.writeString(gallery.resolve("README.md"), "a small gallery");

        CliProcess run = CliProcess.run("eval", "--gallery", gallery.toString(), "--json");

        assertEquals(1, run.exitCode(), run.stderr());
        JsonNode figures = JSON.readTree(run.stdout());
        assertEquals(8, figures.get("images").asInt());
        assertEquals(2, figures.get("unreadable").asInt());
        assertEquals(0, figures.get("faces_missing").asInt());
        assertEquals(List.of(webp.toString(), truncated.toString()), List.of(
                figures.get("unreadable_files").get(0).get("file").asText(), figures.get("unreadable_files").get(1).get("file").asText()));
        assertEquals(1.0, figures.get("top1_loo").asDouble());
        assertTrue(run.stderr().contains(truncated + ": "), run.stderr());
        assertTrue(run.stderr().contains(webp + ": "), run.stderr());
        assertFalse(run.stderr().contains("README"), run.stderr());
    }
}
