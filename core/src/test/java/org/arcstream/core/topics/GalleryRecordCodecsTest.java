package org.arcstream.core.topics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcstream.core.image.ImageDecodeException;
import org.arcstream.core.image.RgbImage;
import org.junit.jupiter.api.Test;

/** Enrollment samples, identity centroids and their keys. */
class GalleryRecordCodecsTest {

    private static float[] vector(long seed, int n) {
        Random random = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static RgbImage crop() {
        byte[] pixels = new byte[3 * 112 * 112];
        new Random(3).nextBytes(pixels);
        return new RgbImage(112, 112, pixels);
    }

    @Test
    void aStoredCropIsReadOnlyAtTheModelsSize() {
        RgbImage c = crop();
        byte[] png = CropPng.encode(c);
        assertArrayEquals(c.pixels(), CropPng.decode(png, c.width()).pixels());
        ImageDecodeException wrongSize = assertThrows(ImageDecodeException.class, () -> CropPng.decode(png, c.width() + 1));
        assertTrue(wrongSize.getMessage().contains("crop is " + c.width() + "x" + c.height()), wrongSize.getMessage());
        ImageDecodeException none = assertThrows(ImageDecodeException.class, () -> CropPng.decode(new byte[0], c.width()));
        assertEquals("the sample keeps no crop", none.getMessage());
    }

    @Test
    void anEnrollmentSampleRoundTripsWithItsCropAndEveryModelVersion() {
        byte[] png = CropPng.encode(crop());
        EnrollmentRecord r = new EnrollmentRecord("ann", "Ann Smith ü", "upload/ann-1.jpg", 1_763_000_000_123L, png,
                Map.of("c20fa0d6420a", vector(1, 512), "9f00aa11bb22", vector(2, 256)));
        byte[] bytes = EnrollmentCodec.encode(r);
        EnrollmentRecord back = EnrollmentCodec.decode(bytes);
        assertEquals(EnrollmentCodec.VERSION, bytes[2]);
        assertEquals(r.identityId(), back.identityId());
        assertEquals(r.name(), back.name());
        assertEquals(r.source(), back.source());
        assertEquals(r.enrolledAtMillis(), back.enrolledAtMillis());
        assertArrayEquals(png, back.cropPng());
        assertEquals(r.embeddings().keySet(), back.embeddings().keySet());
        r.embeddings().forEach((model, v) -> assertArrayEquals(v, back.embeddings().get(model), model));
        // the crop is lossless
        assertArrayEquals(crop().pixels(), CropPng.decode(back.cropPng()).pixels());
        assertEquals(0, EnrollmentCodec.decode(EnrollmentCodec.encode(r.withoutCrop())).cropPng().length);
    }

    @Test
    void aCentroidRecordRoundTripsExactly() {
        CentroidRecord r = new CentroidRecord("ann", "Ann Smith", "c20fa0d6420a", List.of("s1", "s2", "s3"),
                List.of(vector(4, 512), vector(5, 512)));
        byte[] bytes = CentroidCodec.encode(r);
        CentroidRecord back = CentroidCodec.decode(bytes);
        assertEquals(CentroidCodec.VERSION, bytes[2]);
        assertEquals(r.identityId(), back.identityId());
        assertEquals(r.name(), back.name());
        assertEquals(r.modelVersion(), back.modelVersion());
        assertEquals(List.of("s1", "s2", "s3"), back.sampleIds());
        assertEquals(3, back.sampleCount());
        assertEquals(2, back.centroids().size());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(r.centroids().get(i), back.centroids().get(i));
        }
        assertEquals(new CentroidKey("ann", "c20fa0d6420a"), back.key());
        assertTrue(bytes.length < 2 * 512 * 4 + 64, "bytes: " + bytes.length);
    }

    @Test
    void damagedRecordsAreRefusedWithAReason() {
        byte[] enrollment = EnrollmentCodec.encode(new EnrollmentRecord("ann", "Ann", "a.jpg", 1, new byte[] {1, 2},
                Map.of("m", vector(1, 8))));
        var truncated = assertThrows(RecordFormatException.class,
                () -> EnrollmentCodec.decode(Arrays.copyOf(enrollment, enrollment.length - 5)));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        byte[] future = enrollment.clone();
        future[2] = 7;
        var version = assertThrows(RecordFormatException.class, () -> EnrollmentCodec.decode(future));
        assertTrue(version.getMessage().contains("version 7"), version.getMessage());
        var centroidAsEnrollment = assertThrows(RecordFormatException.class, () -> EnrollmentCodec.decode(
                CentroidCodec.encode(new CentroidRecord("a", "A", "m", List.of("s"), List.of(vector(1, 4))))));
        assertTrue(centroidAsEnrollment.getMessage().contains("magic"), centroidAsEnrollment.getMessage());
        byte[] longer = Arrays.copyOf(enrollment, enrollment.length + 2);
        assertTrue(assertThrows(RecordFormatException.class, () -> EnrollmentCodec.decode(longer)).getMessage().contains("trailing"));
        // a crop length pointing past the end must not allocate or read beyond the record
        byte[] hugeCrop = enrollment.clone();
        int cropLength = 3 + 2 + 3 + 2 + 3 + 2 + 5 + 8;
        hugeCrop[cropLength] = 0x7F;
        assertThrows(RecordFormatException.class, () -> EnrollmentCodec.decode(hugeCrop));
        assertThrows(RecordFormatException.class, () -> CentroidCodec.decode(new byte[] {'A', 'C', 1, 0}));
    }

    @Test
    void keysSplitAtTheFirstSlashAndRefuseBadIdentityIds() {
        assertEquals(new SampleKey("ann", "5f2a/x"), SampleKey.parse("ann/5f2a/x"));
        assertEquals("ann/5f2a", new SampleKey("ann", "5f2a").toString());
        assertEquals(new CentroidKey("ann", "c20fa0d6420a"), CentroidKey.parse("ann/c20fa0d6420a"));
        for (String bad : new String[] {"ann", "/x", "ann/", ""}) {
            assertThrows(RecordFormatException.class, () -> SampleKey.parse(bad), bad);
            assertThrows(RecordFormatException.class, () -> CentroidKey.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> SampleKey.checkIdentityId("unknown"));
        assertThrows(IllegalArgumentException.class, () -> SampleKey.checkIdentityId("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> SampleKey.checkIdentityId("x".repeat(129)));
        // a sample id is kept with a one-byte length in the centroid record
        assertEquals(255, SampleKey.parse("ann/" + "s".repeat(255)).sampleId().length());
        assertThrows(RecordFormatException.class, () -> SampleKey.parse("ann/" + "s".repeat(256)));
        assertThrows(RecordFormatException.class, () -> SampleKey.parse("ann/" + "\u00e9".repeat(128)), "256 bytes in UTF-8");
        String hugeKey = "k".repeat(1_000_000);
        assertTrue(assertThrows(RecordFormatException.class, () -> SampleKey.parse(hugeKey)).getMessage().length() < 300,
                "a message quotes only the start of a key");
        assertThrows(IllegalArgumentException.class, () -> new EnrollmentRecord("ann", "Ann", "a", 0, new byte[0], Map.of()));
    }
}
