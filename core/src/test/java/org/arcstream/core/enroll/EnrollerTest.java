package org.arcstream.core.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import org.arcstream.core.TestData;
import org.arcstream.core.embed.Embeddings;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.pipeline.FacePipeline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EnrollerTest {

    private static FacePipeline pipeline;
    private static Enroller enroller;

    @BeforeAll
    static void open() {
        pipeline = new FacePipeline(TestData.defaultConfig());
        enroller = new Enroller(pipeline);
    }

    @AfterAll
    static void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static RgbImage image(String person, int number) throws IOException {
        return pipeline.decoder().decode(TestData.lfwImage(person, number));
    }

    @Test
    void aSingleFaceIsEnrolledWithItsCropAndModelVersion() throws IOException {
        EnrollmentSample sample = enroller.enroll("colin", "Colin_Powell_0001.jpg", image("Colin_Powell", 1), OptionalInt.empty());
        assertEquals("colin", sample.identity());
        assertEquals(112, sample.alignedCrop().width());
        assertEquals(512, sample.embedding().length);
        assertEquals(pipeline.config().embedding().id(), sample.modelVersion());
        float[] again = pipeline.embedder().embed(sample.alignedCrop());
        assertEquals(1.0, Embeddings.cosine(again, sample.embedding()), 1e-5);
    }

    @Test
    void aGroupPhotoNeedsAFaceIndex() throws IOException {
        RgbImage group = image("Vladimir_Putin", 7);
        var e = assertThrows(EnrollmentRejectedException.class,
                () -> enroller.enroll("putin", "group.jpg", group, OptionalInt.empty()));
        assertTrue(e.getMessage().startsWith("group.jpg: ") && e.getMessage().contains("faces found; give a face index"), e.getMessage());
        EnrollmentSample chosen = enroller.enroll("putin", "group.jpg", group, OptionalInt.of(0));
        EnrollmentSample other = enroller.enroll("someone", "group.jpg", group, OptionalInt.of(1));
        assertTrue(Embeddings.cosine(chosen.embedding(), other.embedding()) < 0.9f);
        var outOfRange = assertThrows(EnrollmentRejectedException.class,
                () -> enroller.enroll("putin", "group.jpg", group, OptionalInt.of(40)));
        assertTrue(outOfRange.getMessage().contains("face index 40"), outOfRange.getMessage());
    }

    @Test
    void anImageWithoutAFaceIsRejected() {
        RgbImage blank = new RgbImage(64, 64, new byte[3 * 64 * 64]);
        var e = assertThrows(EnrollmentRejectedException.class, () -> enroller.enroll("x", "blank.png", blank, OptionalInt.empty()));
        assertEquals("blank.png: no face found", e.getMessage());
    }

    @Test
    void aGalleryFolderListsImagesByIdentity() {
        List<Enroller.GalleryImage> images = Enroller.scan(TestData.lfw10());
        assertEquals(100, images.size());
        assertEquals("Ariel_Sharon", images.get(0).identity());
        assertEquals(10, images.stream().map(Enroller.GalleryImage::identity).distinct().count());
        assertThrows(IllegalArgumentException.class, () -> Enroller.scan(TestData.lfw10().resolve("nobody")));
    }
}
