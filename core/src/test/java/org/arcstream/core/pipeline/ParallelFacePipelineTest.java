package org.arcstream.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.arcstream.core.TestData;
import org.arcstream.core.config.Settings;
import org.arcstream.core.image.ImageDecodeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ParallelFacePipelineTest {

    private static final String[] PEOPLE = {"Colin_Powell", "Vladimir_Putin", "George_W_Bush", "Tony_Blair"};

    private static FacePipeline serial;
    private static List<byte[]> images;

    @BeforeAll
    static void open() {
        serial = new FacePipeline(TestData.defaultConfig());
        images = new ArrayList<>();
        // 20 images, Vladimir_Putin_0007 with three faces among them: with batches of 8 images, three chunks
        for (int n = 1; n <= 5; n++) {
            for (String person : PEOPLE) {
                images.add(bytes(person, n + (person.equals("Vladimir_Putin") ? 2 : 0)));
            }
        }
    }

    @AfterAll
    static void close() {
        if (serial != null) {
            serial.close();
        }
    }

    private static byte[] bytes(String person, int number) {
        try {
            return Files.readAllBytes(TestData.lfwImage(person, number));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Face> oneAtATime(byte[] image) {
        return serial.analyze(serial.decoder().decode(image));
    }

    private static void assertSameFaces(List<Face> expected, List<Face> actual) {
        assertEquals(expected.size(), actual.size());
        for (int f = 0; f < expected.size(); f++) {
            Face e = expected.get(f), a = actual.get(f);
            assertEquals(e.index(), a.index());
            assertEquals(e.box(), a.box());
            assertEquals(e.landmarks(), a.landmarks());
            assertArrayEquals(e.embedding(), a.embedding(), 1e-6f);
        }
    }

    @Test
    void twoWorkersGiveTheFacesOfOneImageAtATimeInTheImagesOrder() {
        try (ParallelFacePipeline parallel = ParallelFacePipeline.open(TestData.defaultConfig(), 2)) {
            List<ImageFaces> results = parallel.analyzeEncoded(images);
            assertEquals(images.size(), results.size());
            int faces = 0;
            for (int i = 0; i < images.size(); i++) {
                assertTrue(results.get(i).ok(), "image " + i + ": " + results.get(i).error());
                assertSameFaces(oneAtATime(images.get(i)), results.get(i).faces());
                faces += results.get(i).faces().size();
            }
            assertTrue(faces > images.size(), "a picture with several faces is among them: " + faces);
            // decoded images go the same way
            List<ImageFaces> decoded = parallel.analyze(images.stream().map(serial.decoder()::decode).toList());
            for (int i = 0; i < images.size(); i++) {
                assertSameFaces(results.get(i).faces(), decoded.get(i).faces());
            }
        }
    }

    @Test
    void anImageThatFailsKeepsItsErrorAndLosesNoOtherImage() {
        List<byte[]> batch = new ArrayList<>(images.subList(0, 10));
        batch.set(3, "not an image".getBytes());
        batch.set(8, new byte[0]);
        try (ParallelFacePipeline parallel = ParallelFacePipeline.open(TestData.defaultConfig(), 2)) {
            List<ImageFaces> results = parallel.analyzeEncoded(batch);
            assertEquals(batch.size(), results.size());
            for (int i = 0; i < batch.size(); i++) {
                ImageFaces result = results.get(i);
                if (i == 3 || i == 8) {
                    assertFalse(result.ok());
                    assertInstanceOf(ImageDecodeException.class, result.error());
                    assertNotNull(result.error().getMessage());
                    assertThrows(ImageDecodeException.class, result::orThrow);
                } else {
                    assertTrue(result.ok(), "image " + i + ": " + result.error());
                    assertSameFaces(oneAtATime(batch.get(i)), result.orThrow());
                }
            }
        }
    }

    @Test
    void closingStopsTheWorkerThreadsAndRefusesMoreImages() {
        Set<Thread> before = workerThreads();
        ParallelFacePipeline parallel = ParallelFacePipeline.open(TestData.defaultConfig(), 3);
        assertEquals(before, workerThreads(), "no thread starts before the first batch");
        parallel.analyzeEncoded(images);
        Set<Thread> started = workerThreads();
        started.removeAll(before);
        assertEquals(2, started.size(), "the caller is the first of three workers");
        parallel.close();
        for (Thread t : started) {
            assertFalse(t.isAlive(), t.getName());
        }
        assertThrows(IllegalStateException.class, () -> parallel.analyzeEncoded(images));
        parallel.close();
    }

    @Test
    void anEmptyBatchGivesNothingAndStartsNoThread() {
        Set<Thread> before = workerThreads();
        try (ParallelFacePipeline parallel = ParallelFacePipeline.open(TestData.defaultConfig(), 2)) {
            assertEquals(List.of(), parallel.analyzeEncoded(List.of()));
            assertEquals(before, workerThreads());
        }
    }

    @Test
    void theWorkersSettingIsOnePerCoreByDefaultAndRefusesNegatives() {
        Settings defaults = Settings.load(null);
        int configured = defaults.integer(ParallelFacePipeline.WORKERS_KEY);
        int expected = configured == 0 ? Runtime.getRuntime().availableProcessors() : configured;
        assertEquals(expected, ParallelFacePipeline.workers(defaults));
        assertEquals(Runtime.getRuntime().availableProcessors(), ParallelFacePipeline.workers(defaults.with(ParallelFacePipeline.WORKERS_KEY, "0")));
        assertEquals(3, ParallelFacePipeline.workers(defaults.with(ParallelFacePipeline.WORKERS_KEY, "3")));
        var e = assertThrows(IllegalArgumentException.class,
                () -> ParallelFacePipeline.workers(defaults.with(ParallelFacePipeline.WORKERS_KEY, "-1")));
        assertTrue(e.getMessage().contains(ParallelFacePipeline.WORKERS_KEY), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ParallelFacePipeline.open(TestData.defaultConfig(), 0));
    }

    private static Set<Thread> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("face-pipeline-worker-") && t.isAlive())
                .collect(Collectors.toSet());
    }
}
