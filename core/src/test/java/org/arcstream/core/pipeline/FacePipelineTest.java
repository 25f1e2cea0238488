package org.arcstream.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.arcstream.core.TestData;
import org.arcstream.core.config.Settings;
import org.arcstream.core.detect.FaceBox;
import org.arcstream.core.embed.EmbeddingModelSpec;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.embed.FaceEmbedder;
import org.arcstream.core.embed.TestTimeAugmentation;
import org.arcstream.core.image.RgbImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FacePipelineTest {

    private static FacePipeline pipeline;

    @BeforeAll
    static void open() {
        pipeline = new FacePipeline(TestData.defaultConfig());
    }

    @AfterAll
    static void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static RgbImage lfw(String identity, int number) {
        try {
            return pipeline.decoder().decode(TestData.lfwImage(identity, number));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void findsTheFaceWithPlausibleGeometryAndAUnitEmbedding() {
        RgbImage image = lfw("Colin_Powell", 1);
        Face face = pipeline.bestFace(image).orElseThrow();
        FaceBox box = face.box();
        // LFW crops are centred on the face
        assertTrue(box.x1() < 125 && box.x2() > 125 && box.y1() < 125 && box.y2() > 125, box.toString());
        assertTrue(box.score() > 0.9f);
        assertTrue(face.landmarks().leftEye().x() < face.landmarks().rightEye().x());
        assertTrue(face.landmarks().leftEye().y() < face.landmarks().mouthLeft().y());
        assertTrue(face.landmarks().nose().y() > face.landmarks().leftEye().y());
        assertEquals(512, face.embedding().length);
        assertEquals(1.0, Embeddings.cosine(face.embedding(), face.embedding()), 1e-5);
    }

    @Test
    void returnsEveryFaceBestFirst() {
        List<Face> faces = pipeline.analyze(lfw("Vladimir_Putin", 7));
        assertTrue(faces.size() >= 3, "faces: " + faces.size());
        for (int i = 0; i < faces.size(); i++) {
            assertEquals(i, faces.get(i).index());
            assertEquals(512, faces.get(i).embedding().length);
            if (i > 0) {
                assertTrue(faces.get(i).box().score() <= faces.get(i - 1).box().score());
            }
        }
        // different people in one picture are not the same embedding
        assertTrue(Embeddings.cosine(faces.get(0).embedding(), faces.get(1).embedding()) < 0.9f);
    }

    @Test
    void aBatchOfFacesEmbedsLikeEachFaceAlone() {
        List<Face> located = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
            located.addAll(pipeline.locate(lfw("Tony_Blair", n)));
        }
        List<Face> batched = pipeline.embedAll(located);
        for (int i = 0; i < located.size(); i++) {
            float[] alone = pipeline.embedder().embed(located.get(i).aligned());
            assertArrayEquals(alone, batched.get(i).embedding(), 1e-5f, "face " + i);
        }
    }

    @Test
    void anEmptyImageHasNoFace() {
        byte[] grey = new byte[3 * 200 * 200];
        Arrays.fill(grey, (byte) 128);
        assertTrue(pipeline.analyze(new RgbImage(200, 200, grey)).isEmpty());
        assertTrue(pipeline.bestFace(new RgbImage(200, 200, grey)).isEmpty());
    }

    @Test
    void flipAugmentationChangesTheEmbeddingOnlySlightly() {
        Face face = pipeline.bestFace(lfw("Hugo_Chavez", 2)).orElseThrow();
        try (FaceEmbedder flipped = new FaceEmbedder(pipeline.config().embedding(), pipeline.config().inference(), 8, true)) {
            float[] withFlip = flipped.embed(face.aligned());
            assertEquals(1.0, Embeddings.cosine(withFlip, withFlip), 1e-5);
            float cos = Embeddings.cosine(face.embedding(), withFlip);
            assertTrue(cos > 0.85f && cos < 0.99999f, "cosine " + cos);
        }
    }

    @Test
    void successiveCallsOfOneEmbedderDoNotMixTheirCrops() {
        // the embedder reuses its input tensor's memory: calls of 3, 1 and 2 crops in turn (a batch of 2 leaves
        // part of the earlier, larger batch in that memory) must give each crop's embedding alone
        List<RgbImage> crops = new ArrayList<>();
        for (Face face : pipeline.analyze(lfw("Vladimir_Putin", 7))) {
            crops.add(face.aligned());
        }
        crops.add(pipeline.bestFace(lfw("Hugo_Chavez", 2)).orElseThrow().aligned());
        crops.add(pipeline.bestFace(lfw("Hugo_Chavez", 3)).orElseThrow().aligned());
        assertTrue(crops.size() >= 3, crops.size() + " crops");
        try (FaceEmbedder one = new FaceEmbedder(pipeline.config().embedding(), pipeline.config().inference(), 1, false);
                FaceEmbedder batched = new FaceEmbedder(pipeline.config().embedding(), pipeline.config().inference(), 3, false)) {
            List<float[]> alone = one.embed(crops);
            List<float[]> inTurn = new ArrayList<>(batched.embed(crops.subList(0, 3)));
            inTurn.addAll(batched.embed(crops.subList(3, 4)));
            inTurn.addAll(batched.embed(crops.subList(crops.size() - 2, crops.size())));
            List<float[]> expected = new ArrayList<>(alone.subList(0, 4));
            expected.addAll(alone.subList(crops.size() - 2, crops.size()));
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), inTurn.get(i), 1e-4f, "crop " + i);
            }
        }
    }

    @Test
    void shiftedAndFlippedViewsAverageIntoOneUnitEmbedding() {
        TestTimeAugmentation tta = new TestTimeAugmentation(true, 2);
        RgbImage image = lfw("Hugo_Chavez", 2);
        try (FacePipeline shifted = new FacePipeline(pipeline.config().withTta(tta));
                FaceEmbedder single = new FaceEmbedder(pipeline.config().embedding(), pipeline.config().inference(), 8, false)) {
            Face face = shifted.bestFace(image).orElseThrow();
            assertEquals(116, face.withMargin().width());
            assertEquals(112, face.aligned().width());
            // each of the ten views embedded alone, added, normalized: what the pipeline's one batched call must give
            float[] sum = new float[512];
            for (float[] view : single.embed(tta.views(face.withMargin(), 112))) {
                for (int k = 0; k < sum.length; k++) {
                    sum[k] += view[k];
                }
            }
            float[] expected = Embeddings.normalize(sum);
            assertEquals(1.0, Embeddings.cosine(face.embedding(), face.embedding()), 1e-5);
            assertArrayEquals(expected, face.embedding(), 1e-5f);
            float plain = Embeddings.cosine(pipeline.bestFace(image).orElseThrow().embedding(), face.embedding());
            assertTrue(plain > 0.85f && plain < 0.99999f, "cosine to the plain embedding " + plain);
        }
    }

    @Test
    void aFaceWithoutAMarginGetsTheFlipOnly() {
        // a face restored from an older pending batch has no margin: it is embedded as a flip-only face would be
        RgbImage image = lfw("Hugo_Chavez", 2);
        try (FacePipeline shifted = new FacePipeline(pipeline.config().withTta(new TestTimeAugmentation(true, 2)));
                FacePipeline flipped = new FacePipeline(pipeline.config().withTta(new TestTimeAugmentation(true, 0)))) {
            Face located = shifted.locate(image).get(0);
            Face withoutMargin = new Face(located.index(), located.box(), located.landmarks(), located.aligned(), null);
            float[] got = shifted.embedAll(List.of(withoutMargin)).get(0).embedding();
            assertArrayEquals(flipped.embedAll(List.of(withoutMargin)).get(0).embedding(), got, 1e-6f);
        }
    }

    @Test
    void aNegativeShiftSettingIsRefusedByName() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> FacePipelineConfig.from(Settings.load(null).with("embedding.shift", "-2")));
        assertTrue(e.getMessage().contains("embedding.shift"), e.getMessage());
        assertEquals(new TestTimeAugmentation(true, 3),
                FacePipelineConfig.from(Settings.load(null).with("embedding.flip", "true").with("embedding.shift", "3")).tta());
    }

    @Test
    void anotherEmbeddingModelCanBeConfigured(@TempDir Path dir) throws Exception {
        // the same network with its original fixed batch of 1: runs crop by crop, same results
        Path fixedBatch = pipeline.config().embedding().file().resolveSibling("fr_feature.onnx");
        EmbeddingModelSpec spec = new EmbeddingModelSpec(fixedBatch, "fixed", 112, 127f, 128f, false);
        List<Face> faces = pipeline.analyze(lfw("Vladimir_Putin", 7));
        try (FaceEmbedder other = new FaceEmbedder(spec, pipeline.config().inference(), 8, false)) {
            List<float[]> vectors = other.embed(faces.stream().map(Face::aligned).toList());
            for (int i = 0; i < faces.size(); i++) {
                assertArrayEquals(faces.get(i).embedding(), vectors.get(i), 1e-5f);
            }
        }
        // BGR order is a different input: the embedding must change
        EmbeddingModelSpec bgr = new EmbeddingModelSpec(fixedBatch, "bgr", 112, 127f, 128f, true);
        try (FaceEmbedder other = new FaceEmbedder(bgr, pipeline.config().inference(), 8, false)) {
            assertNotEquals(faces.get(0).embedding()[0], other.embed(faces.get(0).aligned())[0]);
        }
    }

    @Test
    void aBrokenModelFileIsRefusedWithItsName(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.onnx");
        Files.write(broken, new byte[] {1, 2, 3, 4, 5});
        EmbeddingModelSpec spec = EmbeddingModelSpec.withDefaultPreprocessing(broken, "broken");
        var e = assertThrows(IllegalArgumentException.class, () -> new FaceEmbedder(spec, pipeline.config().inference(), 8, false));
        assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class,
                () -> new FaceEmbedder(EmbeddingModelSpec.withDefaultPreprocessing(dir.resolve("none.onnx"), "x"), pipeline.config().inference(), 8, false));
        assertTrue(missing.getMessage().startsWith("model file not found"), missing.getMessage());
    }
}
