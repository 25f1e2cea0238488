package org.arcstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.arcstream.core.align.FivePoints;
import org.arcstream.core.align.Point2;
import org.arcstream.core.detect.FaceBox;
import org.arcstream.core.embed.TestTimeAugmentation;
import org.arcstream.core.image.RgbImage;
import org.arcstream.core.pipeline.Face;
import org.arcstream.core.topics.FaceEmbeddingCodec;
import org.arcstream.core.topics.FaceEmbeddingRecord;
import org.arcstream.core.topics.FrameRef;
import org.junit.jupiter.api.Test;

/** The stream's typed serdes write exactly the topics' and the store's formats, and keep null as null (tombstones). */
class EmbedderSerdesTest {

    private static final FrameRef FRAME = new FrameRef("cam-1", 7, 2, 41);
    private static final FaceBox BOX = new FaceBox(1, 2, 30, 40, 0.99f);

    @Test
    void aFaceEmbeddingIsWrittenInTheFacesTopicFormat() {
        float[] embedding = {0.6f, 0.8f};
        FaceEmbeddingRecord record = new FaceEmbeddingRecord(FRAME, 1234, 0, BOX, new float[10], "abc", embedding);
        Serde<FaceEmbeddingRecord> serde = EmbedderSerdes.faceEmbeddings();
        byte[] written = serde.serializer().serialize("faces", record);
        assertArrayEquals(FaceEmbeddingCodec.encode(record), written, "other services read these bytes");
        assertArrayEquals(embedding, serde.deserializer().deserialize("faces", written).embedding());
        assertNull(serde.serializer().serialize("faces", null));
        assertNull(serde.deserializer().deserialize("faces", null));
    }

    @Test
    void aPendingFaceSurvivesTheStoreWithItsHeadersAndCrop() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("camera", "cam-1".getBytes(StandardCharsets.UTF_8));
        Point2 p = new Point2(3, 4);
        byte[] pixels = new byte[3 * 2 * 2];
        pixels[5] = 9;
        Face face = new Face(1, BOX, new FivePoints(p, p, p, p, p), new RgbImage(2, 2, pixels), null);
        PendingFace pending = new PendingFace("key", 99, headers, FRAME, 1234, face, 555);
        Serde<PendingFace> serde = EmbedderSerdes.pendingFaces();
        PendingFace back = serde.deserializer().deserialize("changelog", serde.serializer().serialize("changelog", pending));
        assertEquals(555, back.arrivedAtMillis());
        assertEquals(FRAME, back.frame());
        assertEquals("key", back.key());
        assertArrayEquals("cam-1".getBytes(StandardCharsets.UTF_8), back.headers().lastHeader("camera").value());
        assertArrayEquals(pixels, back.face().aligned().pixels());
        assertNull(serde.deserializer().deserialize("changelog", null), "a deleted entry");
    }

    @Test
    void aPendingFaceKeepsTheMarginForShiftedViews() {
        Point2 p = new Point2(3, 4);
        byte[] pixels = new byte[3 * 4 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        RgbImage withMargin = new RgbImage(4, 4, pixels);
        RgbImage centre = new TestTimeAugmentation(false, 1).centre(withMargin, 2);
        Face face = new Face(1, BOX, new FivePoints(p, p, p, p, p), centre, withMargin, null);
        Serde<PendingFace> serde = EmbedderSerdes.pendingFaces();
        PendingFace back = serde.deserializer().deserialize("changelog",
                serde.serializer().serialize("changelog", new PendingFace("key", 99, new RecordHeaders(), FRAME, 1234, face, 555)));
        assertArrayEquals(pixels, back.face().withMargin().pixels());
        assertEquals(2, back.face().aligned().width());
        assertArrayEquals(centre.pixels(), back.face().aligned().pixels());
    }

    @Test
    void aPendingFaceOfTheFirstFormatIsStillRead() {
        Point2 p = new Point2(3, 4);
        byte[] pixels = new byte[3 * 2 * 2];
        pixels[5] = 9;
        Face face = new Face(1, BOX, new FivePoints(p, p, p, p, p), new RgbImage(2, 2, pixels), null);
        byte[] current = EmbedderSerdes.pendingFaces().serializer()
                .serialize("changelog", new PendingFace("key", 99, new RecordHeaders(), FRAME, 1234, face, 555));
        // version 1 is version 2 without the margin field, which sits just before the crop's width and height
        int marginAt = current.length - pixels.length - 12;
        ByteArrayOutputStream v1 = new ByteArrayOutputStream();
        v1.write(1);
        v1.write(current, 1, marginAt - 1);
        v1.write(current, marginAt + 4, current.length - marginAt - 4);
        PendingFace back = EmbedderSerdes.pendingFaces().deserializer().deserialize("changelog", v1.toByteArray());
        assertArrayEquals(pixels, back.face().aligned().pixels());
        assertNull(back.face().withMargin());
        assertEquals(555, back.arrivedAtMillis());
    }
}
