package org.arcstream.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The format comes from the leading bytes alone. */
class FormatSnifferTest {

    @Test
    void decodableFormatsAreRecognisedFromTheirOwnWriters() {
        RgbImage image = TestImages.quadrants(32, 32);
        assertEquals(Optional.of(ImageFormat.JPEG), FormatSniffer.sniff(ImageOps.encodeJpeg(image, 0.9f)));
        assertEquals(Optional.of(ImageFormat.PNG), FormatSniffer.sniff(ImageOps.encodePng(image)));
        assertEquals(Optional.of(ImageFormat.BMP), FormatSniffer.sniff(TestImages.encode(ImageOps.toBufferedImage(image), "bmp")));
        assertEquals(Optional.of(ImageFormat.GIF), FormatSniffer.sniff(TestImages.encode(ImageOps.toBufferedImage(image), "gif")));
        assertEquals(Optional.of(ImageFormat.TIFF), FormatSniffer.sniff(TiffBuilder.rgb(image).build()));
        assertEquals(Optional.of(ImageFormat.WEBP), FormatSniffer.sniff(ImageAssertions.resource("webp/texture-lossless.webp")));
        assertEquals(Optional.of(ImageFormat.TIFF), FormatSniffer.sniff(new byte[] {'M', 'M', 0, 43, 0, 8, 0, 0}), "BigTIFF");
    }

    @Test
    void isoMediaBrandsAreToldApart() {
        assertEquals(Optional.of(ImageFormat.HEIC), FormatSniffer.sniff(TestImages.isoMedia("heic", "mif1", "heic")));
        assertEquals(Optional.of(ImageFormat.HEIC), FormatSniffer.sniff(TestImages.isoMedia("mif1", "mif1", "heix")));
        assertEquals(Optional.of(ImageFormat.AVIF), FormatSniffer.sniff(TestImages.isoMedia("avif", "avif", "mif1", "miaf")));
        assertEquals(Optional.of(ImageFormat.AVIF), FormatSniffer.sniff(TestImages.isoMedia("avis", "avis", "msf1")));
        assertEquals(Optional.of(ImageFormat.HEIF), FormatSniffer.sniff(TestImages.isoMedia("mif1", "mif1")));
        assertEquals(Optional.of(ImageFormat.MP4), FormatSniffer.sniff(TestImages.isoMedia("isom", "isom", "iso2", "mp41")));
        assertEquals(Optional.of(ImageFormat.HEIC), FormatSniffer.sniff(TestImages.isoMedia("isom", "mif1", "heic")),
                "a still-image brand wins over a generic video brand");
        assertEquals(Optional.empty(), FormatSniffer.sniff(TestImages.isoMedia("abcd", "efgh")));
    }

    @Test
    void textStartingLikeABitmapIsNotOne() {
        assertEquals(Optional.empty(), FormatSniffer.sniff("BMW 320d, 2019, 84,000 km".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.of(ImageFormat.SVG), FormatSniffer.sniff("  <svg width=\"10\"/>".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), FormatSniffer.sniff("<html><body>no</body></html>".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void shortOrRandomDataIsNothing() {
        assertEquals(Optional.empty(), FormatSniffer.sniff(new byte[0]));
        assertEquals(Optional.empty(), FormatSniffer.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8}));
        Random rnd = new Random(5);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[1 + rnd.nextInt(64)];
            rnd.nextBytes(junk);
            Optional<ImageFormat> f = FormatSniffer.sniff(junk);
            // random bytes may start like a 2-byte JPEG XL codestream signature, but like nothing decodable
            assertEquals(false, f.isPresent() && f.get().decodable(), () -> "random bytes sniffed as " + f);
        }
    }
}
